//! How much memory the process holds, for the memory cap of a query: the resident set size
//! (`VmRSS` of `/proc/self/status`, Linux). A query's use is the growth of it since the query started:
//! what its sorts, groups, `DISTINCT`s, joins and buffered rows hold, plus the store's block
//! cache (bounded, tens of MiB). Elsewhere the size is unknown and the cap is not enforced.

/// The resident set size of this process, in bytes, when the system tells it.
pub fn resident() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    // "VmRSS:	  170872 kB"
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib.saturating_mul(1024))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn resident_memory_grows_with_what_is_held() {
        let before = resident().unwrap();
        let held = vec![1_u8; 64 << 20];
        let after = resident().unwrap();
        assert!(after >= before + (32 << 20), "{before} -> {after}");
        drop(held);
    }
}
