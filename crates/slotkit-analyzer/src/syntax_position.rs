//! CPython-like positions for bracket errors. ruff's parser reports an unclosed
//! bracket as "unexpected EOF" at the end of the file; CPython's tokenizer points at
//! the bracket (`'(' was never closed`) or at a mismatched closer (`closing
//! parenthesis ']' does not match opening parenthesis '('`). A light scan of the
//! brackets (skipping strings and comments) recovers those positions.

use ruff_text_size::{TextRange, TextSize};

enum Bracket {
    Unclosed(usize, char),
    Mismatch(usize, char, char),
}

/// Skip a string literal starting at `i` (the quote); returns the index after it.
fn skip_string(b: &[u8], i: usize) -> usize {
    let q = b[i];
    let triple = b.get(i..i + 3) == Some(&[q, q, q][..]);
    let mut j = if triple { i + 3 } else { i + 1 };
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'\n' if !triple => return j,
            c if c == q => {
                if !triple {
                    return j + 1;
                }
                if b.get(j..j + 3) == Some(&[q, q, q][..]) {
                    return j + 3;
                }
                j += 1;
            }
            _ => j += 1,
        }
    }
    b.len()
}

fn scan(text: &str) -> Option<Bracket> {
    let b = text.as_bytes();
    let mut stack: Vec<(usize, u8)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'\'' | b'"' => {
                i = skip_string(b, i);
                continue;
            }
            c @ (b'(' | b'[' | b'{') => stack.push((i, c)),
            c @ (b')' | b']' | b'}') => {
                let want = match c {
                    b')' => b'(',
                    b']' => b'[',
                    _ => b'{',
                };
                match stack.pop() {
                    Some((_, open)) if open == want => {}
                    Some((_, open)) => return Some(Bracket::Mismatch(i, char::from(c), char::from(open))),
                    None => {}
                }
            }
            _ => {}
        }
        i += 1;
    }
    stack.pop().map(|(at, c)| Bracket::Unclosed(at, char::from(c)))
}

fn closer(open: char) -> char {
    match open {
        '(' => ')',
        '[' => ']',
        _ => '}',
    }
}

fn range_at(at: usize) -> TextRange {
    let start = TextSize::try_from(at).unwrap_or_default();
    TextRange::new(start, start + TextSize::from(1))
}

/// The error to report for a file that failed to parse at `range` with `message`.
pub fn syntax_error(text: &str, range: TextRange, message: String) -> (TextRange, String) {
    let err_at = range.start().to_usize();
    match scan(text) {
        Some(Bracket::Mismatch(at, close, open)) if at <= err_at => {
            (
                range_at(at),
                format!("closing parenthesis '{close}' does not match opening parenthesis '{open}'"),
            )
        }
        // the parser ran off the end of the file, wanted the closing bracket, or failed on
        // a later line than a bracket that is never closed: CPython blames the bracket
        Some(Bracket::Unclosed(at, open))
            if err_at >= text.trim_end().len()
                || (at <= err_at
                    && (message.contains(&format!("Expected `{}`", closer(open)))
                        || text.get(at..err_at).is_some_and(|s| s.contains('\n')))) => (range_at(at), format!("'{open}' was never closed")),
        _ => (range, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_end(text: &str) -> TextRange {
        let end = TextSize::try_from(text.len()).unwrap_or_default();
        TextRange::new(end, end)
    }

    #[test]
    fn unclosed_paren_points_at_the_innermost_bracket() {
        let text = "x = 1\nprint((1,\n  2\n";
        let (range, msg) = syntax_error(text, at_end(text), "unexpected EOF".into());
        assert_eq!(msg, "'(' was never closed");
        assert_eq!(range.start().to_usize(), text.find("(1").unwrap_or_default());
    }

    #[test]
    fn mismatch_and_strings() {
        let text = "s = ')' # (\nx = (1]\n";
        let (range, msg) = syntax_error(text, at_end(text), "x".into());
        assert_eq!(msg, "closing parenthesis ']' does not match opening parenthesis '('");
        assert_eq!(range.start().to_usize(), text.find(']').unwrap_or_default());
    }

    #[test]
    fn bracket_left_open_before_more_code() {
        let text = "class A:\n    def f(self):\n        return [1, 2\n\nclass B:\n    pass\n";
        let newline = text.find("2\n").unwrap_or_default() + 1;
        let range = TextRange::new(TextSize::try_from(newline).unwrap_or_default(), TextSize::try_from(newline).unwrap_or_default());
        let (range, msg) = syntax_error(text, range, "Expected `]`, found newline".into());
        assert_eq!(msg, "'[' was never closed");
        assert_eq!(range.start().to_usize(), text.find('[').unwrap_or_default());
    }

    #[test]
    fn error_on_a_later_line_blames_the_open_bracket() {
        let text = "x = foo(1,\n     2\ny = 3\n";
        let y = text.find("y =").unwrap_or_default();
        let range = TextRange::new(TextSize::try_from(y).unwrap_or_default(), TextSize::try_from(y + 1).unwrap_or_default());
        let (range, msg) = syntax_error(text, range, "Expected `,`, found name".into());
        assert_eq!((range.start().to_usize(), msg.as_str()), (7, "'(' was never closed"));
    }

    #[test]
    fn other_errors_are_kept() {
        let text = "def f(:\n    pass\n";
        let range = TextRange::new(TextSize::from(6), TextSize::from(7));
        assert_eq!(syntax_error(text, range, "m".into()), (range, "m".to_string()));
    }
}
