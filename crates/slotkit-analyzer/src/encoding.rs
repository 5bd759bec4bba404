//! Reading and writing Python source files the way CPython does (PEP 263, PEP 3120):
//! UTF-8 by default, an optional UTF-8 byte order mark, and a `coding:` cookie on the
//! first or second line. The analysis works on the decoded text without the BOM (so
//! columns are right); `fix` encodes its result back to the file's own encoding.

/// The encodings slotkit can decode and encode without loss.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceEncoding {
    Utf8,
    Latin1,
    Ascii,
}

/// A decoded source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: SourceEncoding,
    /// the file starts with a UTF-8 byte order mark (stripped from `text`)
    pub bom: bool,
}

const BOM: &[u8] = b"\xef\xbb\xbf";

/// The encoding named by a PEP 263 cookie in `line`, if the line holds one.
fn cookie(line: &[u8]) -> Option<String> {
    let line = std::str::from_utf8(line).ok()?;
    let trimmed = line.trim_start_matches([' ', '\t', '\x0c']);
    let comment = trimmed.strip_prefix('#')?;
    let at = comment.find("coding")?;
    let rest = comment.get(at + "coding".len()..)?;
    let rest = rest.strip_prefix([':', '='])?;
    let name: String = rest
        .trim_start_matches([' ', '\t'])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    (!name.is_empty()).then_some(name)
}

/// Map an encoding name to the ones supported, following CPython's normalisation.
fn lookup(name: &str) -> Result<SourceEncoding, String> {
    let n = name.to_ascii_lowercase().replace('_', "-");
    if n == "utf-8" || n == "utf8" || n.starts_with("utf-8-") {
        return Ok(SourceEncoding::Utf8);
    }
    let latin1 = ["latin-1", "latin1", "iso-8859-1", "iso8859-1", "l1", "iso-latin-1", "8859", "cp819"];
    if latin1.contains(&n.as_str()) || n.starts_with("latin-1-") || n.starts_with("iso-8859-1-") {
        return Ok(SourceEncoding::Latin1);
    }
    if n == "ascii" || n == "us-ascii" || n == "646" {
        return Ok(SourceEncoding::Ascii);
    }
    Err(format!(
        "unsupported source encoding {name:?} (slotkit reads UTF-8, latin-1 and ASCII files)"
    ))
}

/// The first two lines of `bytes` (without their line ends).
fn first_lines(bytes: &[u8]) -> (&[u8], Option<&[u8]>) {
    let mut it = bytes.splitn(3, |b| *b == b'\n');
    let first = it.next().unwrap_or_default();
    (first, it.next())
}

/// A line that holds nothing but a comment or whitespace: a cookie may follow it.
fn blank_or_comment(line: &[u8]) -> bool {
    let t: Vec<u8> = line.iter().copied().skip_while(|b| matches!(b, b' ' | b'\t' | b'\x0c' | b'\r')).collect();
    t.is_empty() || t.first() == Some(&b'#')
}

/// Decode a source file like CPython's tokenizer does.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    let (bom, body) = match bytes.strip_prefix(BOM) {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    let (first, second) = first_lines(body);
    let declared = cookie(first).or_else(|| {
        second.filter(|_| blank_or_comment(first)).and_then(cookie)
    });
    let encoding = match &declared {
        Some(name) => lookup(name)?,
        None => SourceEncoding::Utf8,
    };
    if bom && encoding != SourceEncoding::Utf8 {
        return Err(format!(
            "encoding problem: {} with a UTF-8 byte order mark",
            declared.unwrap_or_default()
        ));
    }
    let text = match encoding {
        SourceEncoding::Utf8 => String::from_utf8(body.to_vec()).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            format!("file is not valid UTF-8 (byte {at}); declare its encoding with a `# -*- coding: ... -*-` line")
        })?,
        SourceEncoding::Latin1 => body.iter().map(|&b| char::from(b)).collect(),
        SourceEncoding::Ascii => match body.iter().position(|b| !b.is_ascii()) {
            Some(at) => return Err(format!("file declares ASCII but byte {at} is not ASCII")),
            None => body.iter().map(|&b| char::from(b)).collect(),
        },
    };
    Ok(Decoded { text, encoding, bom })
}

/// Encode `text` back into the file's encoding (with its BOM), or `None` when the
/// text holds a character the encoding cannot represent.
pub fn encode(text: &str, encoding: SourceEncoding, bom: bool) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() + 3);
    if bom {
        out.extend_from_slice(BOM);
    }
    match encoding {
        SourceEncoding::Utf8 => out.extend_from_slice(text.as_bytes()),
        SourceEncoding::Latin1 | SourceEncoding::Ascii => {
            let limit = if encoding == SourceEncoding::Latin1 { 0xff } else { 0x7f };
            for c in text.chars() {
                let code = u32::from(c);
                if code > limit {
                    return None;
                }
                out.push(u8::try_from(code).ok()?);
            }
        }
    }
    Some(out)
}

/// Read and decode `path`: `(text, error)` as the project model expects.
pub fn read_source(path: &std::path::Path) -> (String, Option<String>) {
    match std::fs::read(path) {
        Ok(bytes) => match decode(&bytes) {
            Ok(d) => (d.text, None),
            Err(e) => (String::new(), Some(e)),
        },
        Err(e) => (String::new(), Some(format!("cannot read file: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_cookie_is_decoded_and_round_trips() {
        let bytes = b"# -*- coding: latin-1 -*-\nname = '\xe9t\xe9'\n";
        let d = decode(bytes).expect("valid latin-1 source");
        assert_eq!(d.encoding, SourceEncoding::Latin1);
        assert!(d.text.contains("'\u{e9}t\u{e9}'"));
        assert_eq!(encode(&d.text, d.encoding, d.bom).as_deref(), Some(&bytes[..]));
    }

    #[test]
    fn cookie_on_second_line_only_after_a_comment_line() {
        let ok = b"#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-1 :\nx = '\xff'\n";
        assert_eq!(decode(ok).map(|d| d.encoding), Ok(SourceEncoding::Latin1));
        let ignored = b"x = 1\n# coding: latin-1\ny = '\xff'\n";
        assert!(decode(ignored).is_err());
    }

    #[test]
    fn bom_is_stripped_and_restored() {
        let bytes = b"\xef\xbb\xbfclass A:\n    pass\n";
        let d = decode(bytes).expect("utf-8 with BOM");
        assert!(d.bom);
        assert!(d.text.starts_with("class A"));
        assert_eq!(encode(&d.text, d.encoding, d.bom).as_deref(), Some(&bytes[..]));
    }

    #[test]
    fn bad_inputs_are_clear_errors() {
        assert!(decode(b"x = '\xe9'\n").is_err_and(|e| e.contains("not valid UTF-8")));
        assert!(decode(b"# coding: klingon\n").is_err_and(|e| e.contains("unsupported source encoding")));
        assert!(decode(b"\xef\xbb\xbf# coding: latin-1\n").is_err());
        assert_eq!(encode("\u{20ac}", SourceEncoding::Latin1, false), None);
    }
}
