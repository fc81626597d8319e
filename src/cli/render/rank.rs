//! `kg rank` for people: a table.

use std::io::{self, Write};

use kg::answer::RankAnswer;
use kg::query::write_table;

/// The ranking as a table (cells escaped by the table writer).
pub fn rank_text(answer: &RankAnswer, out: &mut dyn Write) -> io::Result<()> {
    let header = ["#", "entity", "degree", "pagerank", "betweenness"].map(String::from);
    let rows: Vec<Vec<Option<String>>> = answer
        .entities
        .iter()
        .enumerate()
        .map(|(i, e)| {
            vec![
                Some((i + 1).to_string()),
                Some(e.label.clone()),
                Some(e.degree.to_string()),
                Some(format!("{:.4}", e.pagerank)),
                Some(format!("{:.4}", e.betweenness)),
            ]
        })
        .collect();
    write_table(out, &header, &rows)?;
    if answer.directed {
        writeln!(
            out,
            "directed: facts followed from subject to object (symmetric relations both ways)"
        )?;
    }
    if !answer.exact_betweenness {
        writeln!(
            out,
            "betweenness estimated from a sample of sources (large graph)"
        )?;
    }
    Ok(())
}
