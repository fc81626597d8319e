//! `kg sentences`: kg's numbering of a text's sentences, as `sentences` cells cite them.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{Context as _, bail};
use clap::{Args, ValueEnum, ValueHint};
use kg::ingest::text::{decode_utf8, sentences::split, strip_bom};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::cli::Found;
use crate::cli::output::Output;
use crate::cli::render::shown;

/// Print the sentences of a text as kg numbers them: number, character span and words, with the
/// text's SHA-256 and sentence count (the kg:sha256 and kg:sentenceCount of its document row).
///
/// Spans are character (Unicode scalar) offsets, end exclusive. Exits 1 when the text has no
/// sentence.
#[derive(Debug, Args)]
pub struct SentencesArgs {
    /// The text (UTF-8)
    #[arg(value_hint = ValueHint::FilePath)]
    file: PathBuf,

    /// Output format
    #[arg(long, value_enum, default_value_t = SentencesFormat::Text)]
    format: SentencesFormat,

    /// Write to FILE (replaced only when the command succeeds)
    #[arg(long, short, value_name = "FILE", value_hint = ValueHint::FilePath)]
    output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SentencesFormat {
    Text,
    Json,
}

/// The JSON shape.
#[derive(Debug, Serialize)]
struct Numbered {
    file: String,
    sha256: String,
    sentence_count: usize,
    sentences: Vec<NumberedSentence>,
}

#[derive(Debug, Serialize)]
struct NumberedSentence {
    number: u64,
    start: usize,
    end: usize,
    text: String,
}

pub fn run(args: &SentencesArgs) -> anyhow::Result<Found> {
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    // The build hashes the text without a byte-order mark.
    let text = match decode_utf8(strip_bom(&bytes)) {
        Ok(text) => text,
        Err((line, column, detail)) => {
            bail!(
                "{}:{line}:{column}: not UTF-8 ({detail})",
                args.file.display()
            )
        }
    };
    let digest = Sha256::digest(text.as_bytes())
        .iter()
        .fold(String::new(), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        });
    let mut sentences = Vec::new();
    let mut chars = 0;
    let mut counted = 0;
    for s in split(text) {
        chars += text[counted..s.span.start].chars().count();
        let len = text[s.span.clone()].chars().count();
        sentences.push(NumberedSentence {
            number: s.number,
            start: chars,
            end: chars + len,
            text: text[s.span.clone()].to_owned(),
        });
        chars += len;
        counted = s.span.end;
    }
    let mut output = Output::open(args.output.as_deref())?;
    let out = output.writer();
    match args.format {
        SentencesFormat::Json => {
            let numbered = Numbered {
                file: args.file.display().to_string(),
                sha256: digest,
                sentence_count: sentences.len(),
                sentences,
            };
            serde_json::to_writer_pretty(&mut *out, &numbered)?;
            writeln!(out)?;
            output.commit()?;
            return Ok(Found::from(numbered.sentence_count > 0));
        }
        SentencesFormat::Text => {
            writeln!(out, "# sha256 {digest}, {} sentences", sentences.len())?;
            for s in &sentences {
                writeln!(
                    out,
                    "{}\t{}-{}\t{}",
                    s.number,
                    s.start,
                    s.end,
                    shown(&s.text)
                )?;
            }
        }
    }
    output.commit()?;
    Ok(Found::from(!sentences.is_empty()))
}
