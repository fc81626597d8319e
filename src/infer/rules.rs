//! The OWL 2 RL rules the reasoner applies, by their names in the
//! [OWL 2 Profiles](https://www.w3.org/TR/owl2-profiles/#Reasoning_in_OWL_2_RL_and_RDF_Graphs_using_Rules)
//! tables 4–9, and sets of them ([`RuleSet`], by rule or family name).
//!
//! | table | rule | kg | family, or why not |
//! | --- | --- | --- | --- |
//! | 4 equality | `eq-ref` | no | trivial: every term `owl:sameAs` itself is not written |
//! | | `eq-sym`, `eq-trans` | yes | `equality` (union-find over `owl:sameAs` classes) |
//! | | `eq-rep-s`, `eq-rep-p`, `eq-rep-o` | yes | `equality` (rewriting to one representative, copies written at the end, counted first) |
//! | | `eq-diff1` | yes | `consistency` |
//! | | `eq-diff2`, `eq-diff3` | no | `owl:AllDifferent` lists are not read yet |
//! | 5 properties | `prp-ap` | no | axiomatic (annotation properties typed) |
//! | | `prp-dom`, `prp-rng`, `prp-spo1` | yes | `rdfs` |
//! | | `prp-fp`, `prp-ifp` | yes | `equality` (not between literals: two values of a functional datatype property are not equated) |
//! | | `prp-irp`, `prp-asyp`, `prp-pdw` | yes | `consistency` |
//! | | `prp-symp` | yes | `symmetric` |
//! | | `prp-trp` | yes | `transitive` |
//! | | `prp-spo2` | yes | `chain` (chains of any length) |
//! | | `prp-eqp1`, `prp-eqp2` | yes | `equivalence` |
//! | | `prp-inv1`, `prp-inv2` | yes | `inverse` |
//! | | `prp-adp` | no | `owl:AllDisjointProperties` lists are not read yet |
//! | | `prp-key` | no | `owl:hasKey` needs a join on key tuples; not yet |
//! | | `prp-npa1`, `prp-npa2` | no | negative property assertions are not read yet |
//! | 6 classes | `cls-thing`, `cls-nothing1` | no | axiomatic (`owl:Thing` and `owl:Nothing` are classes) |
//! | | `cls-nothing2`, `cls-com` | yes | `consistency` |
//! | | `cls-int1`, `cls-int2`, `cls-uni`, `cls-svf1`, `cls-svf2`, `cls-avf`, `cls-hv1`, `cls-hv2` | yes | `class-expressions` (`cls-svf1` with a class, not a datatype, as filler) |
//! | | `cls-maxc1`, `cls-maxc2`, `cls-maxqc1`–`cls-maxqc4` | no | cardinality restrictions are not read yet (`maxc2` and `maxqc3/4` would feed the union-find) |
//! | | `cls-oo` | no | `owl:oneOf` is not read yet |
//! | 7 class axioms | `cax-sco` | yes | `rdfs` |
//! | | `cax-eqc1`, `cax-eqc2` | yes | `equivalence` |
//! | | `cax-dw` | yes | `consistency` |
//! | | `cax-adc` | no | `owl:AllDisjointClasses` lists are not read yet |
//! | 8 datatypes | `dt-type1`, `dt-type2`, `dt-eq`, `dt-diff`, `dt-not-type` | no | literal values: kg's ingest checks literals against their datatypes; these rules type and compare literal values, which would need literal subjects |
//! | 9 schema | `scm-cls`, `scm-op`, `scm-dp` | no | trivial: reflexive `rdfs:subClassOf`, `owl:equivalentClass`, `rdfs:subPropertyOf`, `owl:equivalentProperty`, and `C rdfs:subClassOf owl:Thing` are not written (the rules that would use them treat them as holding) |
//! | | `scm-sco`, `scm-spo`, `scm-dom1`, `scm-dom2`, `scm-rng1`, `scm-rng2` | yes | `rdfs` |
//! | | `scm-eqc1`, `scm-eqc2`, `scm-eqp1`, `scm-eqp2` | yes | `equivalence` |
//! | | `scm-hv`, `scm-svf1`, `scm-svf2`, `scm-avf1`, `scm-avf2`, `scm-int`, `scm-uni` | yes | `class-expressions` |
//!
//! The equality rules act together: turning any of them off turns `owl:sameAs` off.

use std::fmt;

/// What a rule does when it fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    /// It derives triples.
    Derives,
    /// It finds an inconsistency (its head is `false`).
    Inconsistency,
}

macro_rules! rules {
    ($($variant:ident = $name:literal, $family:literal, $kind:ident;)*) => {
        /// One OWL 2 RL rule kg implements.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(u8)]
        pub enum Rule {
            $(
                #[doc = concat!("`", $name, "`")]
                $variant,
            )*
        }

        impl Rule {
            /// Every rule, in table order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The rule's name in the W3C tables (`prp-trp`).
            pub fn name(self) -> &'static str {
                match self {
                    $(Rule::$variant => $name,)*
                }
            }

            /// The family it belongs to, for [`RuleSet::from_names`] (`rdfs`, `equality`, ...).
            pub fn family(self) -> &'static str {
                match self {
                    $(Rule::$variant => $family,)*
                }
            }

            /// Whether it derives triples or finds inconsistencies.
            pub fn kind(self) -> RuleKind {
                match self {
                    $(Rule::$variant => RuleKind::$kind,)*
                }
            }
        }
    };
}

rules! {
    // Table 4: equality.
    EqSym = "eq-sym", "equality", Derives;
    EqTrans = "eq-trans", "equality", Derives;
    EqRepS = "eq-rep-s", "equality", Derives;
    EqRepP = "eq-rep-p", "equality", Derives;
    EqRepO = "eq-rep-o", "equality", Derives;
    EqDiff1 = "eq-diff1", "consistency", Inconsistency;
    // Table 5: properties.
    PrpDom = "prp-dom", "rdfs", Derives;
    PrpRng = "prp-rng", "rdfs", Derives;
    PrpFp = "prp-fp", "equality", Derives;
    PrpIfp = "prp-ifp", "equality", Derives;
    PrpIrp = "prp-irp", "consistency", Inconsistency;
    PrpSymp = "prp-symp", "symmetric", Derives;
    PrpAsyp = "prp-asyp", "consistency", Inconsistency;
    PrpTrp = "prp-trp", "transitive", Derives;
    PrpSpo1 = "prp-spo1", "rdfs", Derives;
    PrpSpo2 = "prp-spo2", "chain", Derives;
    PrpEqp1 = "prp-eqp1", "equivalence", Derives;
    PrpEqp2 = "prp-eqp2", "equivalence", Derives;
    PrpPdw = "prp-pdw", "consistency", Inconsistency;
    PrpInv1 = "prp-inv1", "inverse", Derives;
    PrpInv2 = "prp-inv2", "inverse", Derives;
    // Table 6: classes.
    ClsNothing2 = "cls-nothing2", "consistency", Inconsistency;
    ClsInt1 = "cls-int1", "class-expressions", Derives;
    ClsInt2 = "cls-int2", "class-expressions", Derives;
    ClsUni = "cls-uni", "class-expressions", Derives;
    ClsCom = "cls-com", "consistency", Inconsistency;
    ClsSvf1 = "cls-svf1", "class-expressions", Derives;
    ClsSvf2 = "cls-svf2", "class-expressions", Derives;
    ClsAvf = "cls-avf", "class-expressions", Derives;
    ClsHv1 = "cls-hv1", "class-expressions", Derives;
    ClsHv2 = "cls-hv2", "class-expressions", Derives;
    // Table 7: class axioms.
    CaxSco = "cax-sco", "rdfs", Derives;
    CaxEqc1 = "cax-eqc1", "equivalence", Derives;
    CaxEqc2 = "cax-eqc2", "equivalence", Derives;
    CaxDw = "cax-dw", "consistency", Inconsistency;
    // Table 9: the schema vocabulary.
    ScmSco = "scm-sco", "rdfs", Derives;
    ScmEqc1 = "scm-eqc1", "equivalence", Derives;
    ScmEqc2 = "scm-eqc2", "equivalence", Derives;
    ScmSpo = "scm-spo", "rdfs", Derives;
    ScmEqp1 = "scm-eqp1", "equivalence", Derives;
    ScmEqp2 = "scm-eqp2", "equivalence", Derives;
    ScmDom1 = "scm-dom1", "rdfs", Derives;
    ScmDom2 = "scm-dom2", "rdfs", Derives;
    ScmRng1 = "scm-rng1", "rdfs", Derives;
    ScmRng2 = "scm-rng2", "rdfs", Derives;
    ScmHv = "scm-hv", "class-expressions", Derives;
    ScmSvf1 = "scm-svf1", "class-expressions", Derives;
    ScmSvf2 = "scm-svf2", "class-expressions", Derives;
    ScmAvf1 = "scm-avf1", "class-expressions", Derives;
    ScmAvf2 = "scm-avf2", "class-expressions", Derives;
    ScmInt = "scm-int", "class-expressions", Derives;
    ScmUni = "scm-uni", "class-expressions", Derives;
}

impl Rule {
    /// The rule with this W3C name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|r| r.name() == name)
    }

    fn bit(self) -> u64 {
        1 << (self as u8)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The families rules are grouped in, for [`RuleSet::from_names`].
pub const FAMILIES: &[&str] = &[
    "rdfs",
    "equivalence",
    "inverse",
    "symmetric",
    "transitive",
    "chain",
    "equality",
    "class-expressions",
    "consistency",
];

/// A set of rules to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleSet(u64);

/// A rule or family name that names nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no rule or rule family is called {name:?} (families: {})", FAMILIES.join(", "))]
pub struct UnknownRule {
    /// The name as given.
    pub name: String,
}

impl RuleSet {
    /// Every rule kg implements.
    pub fn all() -> Self {
        Self(Rule::ALL.iter().fold(0, |bits, r| bits | r.bit()))
    }

    /// No rule.
    pub fn none() -> Self {
        Self(0)
    }

    /// The RDFS part: class and property hierarchies, domains and ranges.
    pub fn rdfs() -> Self {
        Self::family("rdfs")
    }

    /// The rules of one family.
    fn family(family: &str) -> Self {
        Self(
            Rule::ALL
                .iter()
                .filter(|r| r.family() == family)
                .fold(0, |bits, r| bits | r.bit()),
        )
    }

    /// The set named by a list of rule names (`prp-trp`) and family names (`transitive`,
    /// `all`); a name starting with `-` removes instead (`all,-equality`).
    ///
    /// # Errors
    /// [`UnknownRule`] for a name that is neither.
    pub fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Self, UnknownRule> {
        let mut set = Self::none();
        for name in names {
            let (remove, bare) = match name.trim().strip_prefix('-') {
                Some(bare) => (true, bare),
                None => (false, name.trim()),
            };
            let these = if bare == "all" {
                Self::all()
            } else if FAMILIES.contains(&bare) {
                Self::family(bare)
            } else if let Some(rule) = Rule::from_name(bare) {
                Self(rule.bit())
            } else {
                return Err(UnknownRule {
                    name: name.to_owned(),
                });
            };
            set = if remove {
                Self(set.0 & !these.0)
            } else {
                Self(set.0 | these.0)
            };
        }
        Ok(set)
    }

    /// Whether the set holds a rule.
    pub fn contains(self, rule: Rule) -> bool {
        self.0 & rule.bit() != 0
    }

    /// The set with a rule added.
    #[must_use]
    pub fn with(self, rule: Rule) -> Self {
        Self(self.0 | rule.bit())
    }

    /// The set without a rule.
    #[must_use]
    pub fn without(self, rule: Rule) -> Self {
        Self(self.0 & !rule.bit())
    }

    /// The rules in the set, in table order.
    pub fn iter(self) -> impl Iterator<Item = Rule> {
        Rule::ALL.iter().copied().filter(move |r| self.contains(*r))
    }
}

impl Default for RuleSet {
    fn default() -> Self {
        Self::all()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_fit_the_bit_set() {
        assert!(Rule::ALL.len() <= 64);
        for &rule in Rule::ALL {
            assert_eq!(Rule::from_name(rule.name()), Some(rule));
            assert!(FAMILIES.contains(&rule.family()), "{rule}");
        }
    }

    #[test]
    fn sets_parse_families_rules_and_removals() {
        let set = RuleSet::from_names(["all", "-equality", "prp-fp"]).unwrap();
        assert!(set.contains(Rule::PrpFp));
        assert!(!set.contains(Rule::PrpIfp));
        assert!(set.contains(Rule::CaxSco));
        assert_eq!(RuleSet::from_names(["rdfs"]).unwrap(), RuleSet::rdfs());
        let error = RuleSet::from_names(["owl-rl"]).unwrap_err();
        assert!(error.to_string().contains("owl-rl"), "{error}");
    }
}
