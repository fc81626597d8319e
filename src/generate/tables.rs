//! The CSV tables of a generated dataset, written row by row from one random stream per table.

use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::path::Path;

use super::{GenerateError, PAIRS, PROGRESS_EVERY, Plan, SENTENCES, io_error};
use crate::ingest::Progress;

/// `SplitMix64`: a small, fast, well-mixed generator; one stream per table.
#[derive(Debug, Clone)]
struct Random(u64);

impl Random {
    fn new(seed: u64, stream: u64) -> Self {
        let mut mixer = Self(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        mixer.next();
        mixer
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`), by multiply-shift.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    /// In `0..n`, skewed towards small values (the product of two uniforms): a few hubs.
    fn skewed(&mut self, n: u64) -> u64 {
        let (a, b) = (self.below(n), self.below(n));
        // a · b / n < n: it fits.
        u64::try_from(u128::from(a) * u128::from(b) / u128::from(n)).unwrap_or(a)
    }

    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        let i = usize::try_from(self.below(words.len() as u64)).unwrap_or(0);
        words[i]
    }

    /// A day as `YYYY-MM-DD` in `from..=to` (days 1 to 28, always valid).
    fn date(&mut self, from: u64, to: u64) -> String {
        format!(
            "{}-{:02}-{:02}",
            from + self.below(to - from + 1),
            1 + self.below(12),
            1 + self.below(28)
        )
    }
}

/// Streams of the tables, numbered so that each table's content depends only on the seed.
mod stream {
    pub const DOCUMENTS: u64 = 1;
    pub const PEOPLE: u64 = 2;
    pub const ORGANIZATIONS: u64 = 3;
    pub const PLACES: u64 = 4;
    pub const WORKS_FOR: u64 = 5;
    pub const KNOWS: u64 = 6;
    pub const PARTNER_OF: u64 = 7;
    pub const LOCATED_IN: u64 = 8;
    pub const PAIRS: u64 = 9;
}

const FIRST_NAMES: &[&str] = &[
    "Ada", "Alan", "Alice", "Amara", "Ana", "Anton", "Aria", "Bianca", "Boris", "Carla", "Chen",
    "Dana", "David", "Elena", "Emil", "Eva", "Farid", "Fatima", "Felix", "Greta", "Hana", "Hugo",
    "Ines", "Ivan", "Jana", "Jonas", "Kai", "Karim", "Lara", "Leo", "Lina", "Luca", "Maya",
    "Marek", "Mei", "Nadia", "Nils", "Nora", "Olga", "Omar", "Paula", "Pavel", "Rosa", "Rui",
    "Sara", "Sean", "Sofia", "Tariq", "Tess", "Tomas", "Uma", "Vera", "Viktor", "Wen", "Yara",
    "Yusuf", "Zoe", "Zoran",
];

const LAST_NAMES: &[&str] = &[
    "Abbott", "Alvarez", "Bauer", "Becker", "Brandt", "Costa", "Dahl", "Dubois", "Eriksen",
    "Fischer", "Garcia", "Hansen", "Horvat", "Ivanova", "Jensen", "Kaplan", "Kowalski", "Laine",
    "Larsen", "Lopez", "Marsh", "Meyer", "Moreau", "Nagy", "Novak", "Okafor", "Olsen", "Park",
    "Petrov", "Quinn", "Rossi", "Santos", "Schmidt", "Silva", "Sokolov", "Tanaka", "Varga",
    "Vogel", "Wagner", "Weber", "Wong", "Yilmaz", "Zhang", "Zimmer",
];

const ORGANIZATION_WORDS: &[&str] = &[
    "Amber", "Apex", "Arctic", "Beacon", "Blue", "Cedar", "Cobalt", "Crown", "Delta", "Eagle",
    "Falcon", "Granite", "Harbor", "Iron", "Juniper", "Keystone", "Lumen", "Maple", "Meridian",
    "Nimbus", "North", "Onyx", "Orbit", "Pine", "Quartz", "River", "Sable", "Summit", "Tidal",
    "Vertex", "Willow", "Zenith",
];

const INDUSTRIES: &[&str] = &[
    "Analytics",
    "Bank",
    "Biotech",
    "Capital",
    "Energy",
    "Foods",
    "Freight",
    "Health",
    "Labs",
    "Logistics",
    "Media",
    "Motors",
    "Pharma",
    "Robotics",
    "Shipping",
    "Software",
    "Steel",
    "Systems",
    "Telecom",
    "Textiles",
];

const LEGAL_FORMS: &[&str] = &["Ltd.", "Inc.", "GmbH", "S.A.", "plc", "AB", "B.V."];

const PLACE_STARTS: &[&str] = &[
    "Al", "Bel", "Bran", "Cor", "Dun", "El", "Fen", "Gal", "Har", "Kel", "Lin", "Mar", "Nor", "Os",
    "Pol", "Ros", "Sal", "Tor", "Val", "Wes",
];

const PLACE_ENDS: &[&str] = &[
    "bridge", "burg", "dale", "field", "ford", "haven", "holm", "mouth", "port", "stad", "ton",
    "vik", "wick", "worth",
];

/// Writes the tables of one [`Plan`].
pub(super) struct TableWriter<'a> {
    pub(super) plan: &'a Plan,
    pub(super) seed: u64,
    pub(super) progress: &'a dyn Fn(Progress<'_>),
}

/// A CSV file being written: rows of plain fields (no commas, quotes or line breaks).
struct Table<'a> {
    path: &'a Path,
    out: BufWriter<File>,
    rows: u64,
    progress: &'a dyn Fn(Progress<'_>),
}

impl<'a> Table<'a> {
    fn create(
        path: &'a Path,
        header: &str,
        progress: &'a dyn Fn(Progress<'_>),
    ) -> Result<Self, GenerateError> {
        progress(Progress::File(path));
        let file = File::create(path).map_err(io_error(path))?;
        let mut table = Self {
            path,
            out: BufWriter::with_capacity(1 << 20, file),
            rows: 0,
            progress,
        };
        writeln!(table.out, "{header}").map_err(io_error(path))?;
        Ok(table)
    }

    /// Writes one row from its formatted fields.
    fn row(&mut self, fields: std::fmt::Arguments<'_>) -> Result<(), GenerateError> {
        self.rows += 1;
        if self.rows.is_multiple_of(PROGRESS_EVERY) {
            (self.progress)(Progress::Rows(self.rows));
        }
        self.out.write_fmt(fields).map_err(io_error(self.path))
    }

    fn finish(mut self) -> Result<(), GenerateError> {
        self.out.flush().map_err(io_error(self.path))
    }
}

/// Provenance cells of one row: `,source,sentences,date`, or nothing.
fn provenance(random: &mut Random, plan: &Plan) -> String {
    if !plan.provenance {
        return String::new();
    }
    let document = random.below(plan.documents);
    let sentence = 1 + random.below(SENTENCES);
    format!(",d{document},{sentence},{}", random.date(2015, 2025))
}

const PROVENANCE_HEADER: &str = ",source,sentences,date";

impl TableWriter<'_> {
    fn header(&self, columns: &str) -> String {
        if self.plan.provenance {
            format!("{columns}{PROVENANCE_HEADER}")
        } else {
            columns.to_owned()
        }
    }

    pub(super) fn documents(&mut self, path: &Path) -> Result<(), GenerateError> {
        let mut table = Table::create(
            path,
            "id,type,rdfs:label@en,kg:sentenceCount",
            self.progress,
        )?;
        let mut random = Random::new(self.seed, stream::DOCUMENTS);
        for i in 0..self.plan.documents {
            let title = random.pick(INDUSTRIES);
            table.row(format_args!(
                "d{i},kg:Document|bench:Document,{title} report {i},{SENTENCES}\n"
            ))?;
        }
        table.finish()
    }

    pub(super) fn people(&mut self, path: &Path) -> Result<(), GenerateError> {
        let header = self.header("id,type,rdfs:label@en,skos:altLabel@en[],bench:birthDate");
        let mut table = Table::create(path, &header, self.progress)?;
        let mut random = Random::new(self.seed, stream::PEOPLE);
        for i in 0..self.plan.people {
            let first = random.pick(FIRST_NAMES);
            let last = random.pick(LAST_NAMES);
            let initial = &first[..1];
            let born = random.date(1940, 2005);
            let provenance = provenance(&mut random, self.plan);
            table.row(format_args!(
                "p{i},bench:Person,{first} {last},{initial}. {last},{born}{provenance}\n"
            ))?;
        }
        table.finish()
    }

    pub(super) fn organizations(&mut self, path: &Path) -> Result<(), GenerateError> {
        let header = self.header(
            "id,type,rdfs:label@en,skos:altLabel@en[],bench:legalName,bench:founded,bench:employees",
        );
        let mut table = Table::create(path, &header, self.progress)?;
        let mut random = Random::new(self.seed, stream::ORGANIZATIONS);
        for i in 0..self.plan.organizations {
            let word = random.pick(ORGANIZATION_WORDS);
            let industry = random.pick(INDUSTRIES);
            let form = random.pick(LEGAL_FORMS);
            let founded = 1850 + random.below(175);
            let employees = 1 + random.skewed(200_000);
            let provenance = provenance(&mut random, self.plan);
            table.row(format_args!(
                "o{i},bench:Organization,{word} {industry},{word},{word} {industry} {form},{founded},{employees}{provenance}\n"
            ))?;
        }
        table.finish()
    }

    pub(super) fn places(&mut self, path: &Path) -> Result<(), GenerateError> {
        let header = self.header("id,type,rdfs:label@en,bench:population");
        let mut table = Table::create(path, &header, self.progress)?;
        let mut random = Random::new(self.seed, stream::PLACES);
        for i in 0..self.plan.places {
            let start = random.pick(PLACE_STARTS);
            let end = random.pick(PLACE_ENDS);
            let population = 100 + random.skewed(5_000_000);
            let provenance = provenance(&mut random, self.plan);
            table.row(format_args!(
                "l{i},bench:Place,{start}{end},{population}{provenance}\n"
            ))?;
        }
        table.finish()
    }

    pub(super) fn works_for(&mut self, path: &Path) -> Result<(), GenerateError> {
        let header = self.header("subject,predicate,object");
        let mut table = Table::create(path, &header, self.progress)?;
        let mut random = Random::new(self.seed, stream::WORKS_FOR);
        for i in 0..self.plan.relations.works_for {
            let organization = random.skewed(self.plan.organizations);
            let provenance = provenance(&mut random, self.plan);
            table.row(format_args!(
                "p{i},bench:worksFor,o{organization}{provenance}\n"
            ))?;
        }
        table.finish()
    }

    /// `count` rows spread evenly over `subjects`, each subject's targets distinct and never
    /// itself, drawn uniformly from the same kind of entity.
    fn among_peers(
        &self,
        table: &mut Table<'_>,
        random: &mut Random,
        (prefix, predicate): (char, &str),
        subjects: u64,
        count: u64,
    ) -> Result<(), GenerateError> {
        if subjects < 2 || count == 0 {
            return Ok(());
        }
        let (each, extra) = (count / subjects, count % subjects);
        let mut targets = Vec::new();
        for subject in 0..subjects {
            let n = each + u64::from(subject < extra);
            targets.clear();
            while (targets.len() as u64) < n {
                let target = random.below(subjects);
                if target != subject && !targets.contains(&target) {
                    targets.push(target);
                }
            }
            for &target in &targets {
                let provenance = provenance(random, self.plan);
                table.row(format_args!(
                    "{prefix}{subject},{predicate},{prefix}{target}{provenance}\n"
                ))?;
            }
        }
        Ok(())
    }

    pub(super) fn knows(&mut self, path: &Path) -> Result<(), GenerateError> {
        let header = self.header("subject,predicate,object");
        let mut table = Table::create(path, &header, self.progress)?;
        let mut random = Random::new(self.seed, stream::KNOWS);
        let (people, knows) = (self.plan.people, self.plan.relations.knows);
        self.among_peers(&mut table, &mut random, ('p', "bench:knows"), people, knows)?;
        table.finish()
    }

    pub(super) fn partner_of(&mut self, path: &Path) -> Result<(), GenerateError> {
        let header = self.header("subject,predicate,object");
        let mut table = Table::create(path, &header, self.progress)?;
        let mut random = Random::new(self.seed, stream::PARTNER_OF);
        let (organizations, partners) = (self.plan.organizations, self.plan.relations.partner_of);
        self.among_peers(
            &mut table,
            &mut random,
            ('o', "bench:partnerOf"),
            organizations,
            partners,
        )?;
        table.finish()
    }

    /// Organisations first, then people; places drawn with a skew (a few big cities).
    pub(super) fn located_in(&mut self, path: &Path) -> Result<(), GenerateError> {
        let header = self.header("subject,predicate,object");
        let mut table = Table::create(path, &header, self.progress)?;
        let mut random = Random::new(self.seed, stream::LOCATED_IN);
        let organizations = self.plan.organizations;
        for i in 0..self.plan.relations.located_in {
            let (prefix, subject) = if i < organizations {
                ('o', i)
            } else {
                ('p', i - organizations)
            };
            let place = random.skewed(self.plan.places);
            let provenance = provenance(&mut random, self.plan);
            table.row(format_args!(
                "{prefix}{subject},bench:locatedIn,l{place}{provenance}\n"
            ))?;
        }
        table.finish()
    }

    /// Random pairs of distinct people, for path benchmarks.
    pub(super) fn pairs(&mut self, path: &Path) -> Result<(), GenerateError> {
        let mut table = Table::create(path, "from,to", self.progress)?;
        let mut random = Random::new(self.seed, stream::PAIRS);
        for _ in 0..PAIRS {
            let from = random.below(self.plan.people);
            let mut to = random.below(self.plan.people);
            while to == from {
                to = random.below(self.plan.people);
            }
            table.row(format_args!("p{from},p{to}\n"))?;
        }
        table.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_streams_are_reproducible_and_in_range() {
        let mut a = Random::new(7, stream::PEOPLE);
        let mut b = Random::new(7, stream::PEOPLE);
        for _ in 0..1000 {
            assert_eq!(a.next(), b.next());
            assert!(a.below(10) < 10);
            b.below(10);
            assert!(a.skewed(3) < 3);
            b.skewed(3);
        }
        assert_ne!(
            Random::new(7, stream::PEOPLE).next(),
            Random::new(7, stream::KNOWS).next()
        );
    }
}
