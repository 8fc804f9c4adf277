//! The default output: one grep-friendly line per finding
//! (`compose.yaml:12:9 error[KL101] quotes-kept: …`), then the source line with the
//! secret masked and the range underlined, then the fix.

use std::borrow::Cow;
use std::ops::{Range, RangeInclusive};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use keylint_core::assignment::ParsedFile;
use keylint_core::{Diagnostic, LineIndex, Severity};

use super::{FileReport, Summary, severity_style};
use keylint_core::mask::{for_display, printable_ascii_run};
use keylint_core::redaction::{Masking, Redacted};

/// The source lines a file's findings show, as they are masked.
pub struct ShownLines {
    index: LineIndex,
    masking: Masking,
    /// The range of each finding judged, and the lines it shows: a report whose findings
    /// are these draws them without finding their lines again.
    ranges: Vec<Range<usize>>,
    lines: Vec<Shown>,
}

impl ShownLines {
    /// The lines `diagnostics` show of `text`, judged on a parse of it (the lint's), with
    /// its line index if the lint built one.
    pub fn of(
        text: &str,
        parsed: &ParsedFile,
        index: Option<LineIndex>,
        diagnostics: &[Diagnostic],
    ) -> ShownLines {
        let index = index.unwrap_or_else(|| LineIndex::new(text));
        let lines: Vec<Shown> = diagnostics
            .iter()
            .map(|diagnostic| Shown::of(text, &index, diagnostic))
            .collect();
        let masking = Masking::of_lines(
            text,
            parsed,
            &index,
            lines.iter().map(|shown| shown.lines.clone()),
        );
        ShownLines {
            index,
            masking,
            ranges: diagnostics
                .iter()
                .map(|diagnostic| diagnostic.range.clone())
                .collect(),
            lines,
        }
    }

    /// The lines each of `diagnostics` shows, when these are lines judged (or more).
    fn lines_of(&self, text: &str, diagnostics: &[Diagnostic]) -> Option<Cow<'_, [Shown]>> {
        if self
            .ranges
            .iter()
            .eq(diagnostics.iter().map(|diagnostic| &diagnostic.range))
        {
            return Some(Cow::Borrowed(&self.lines));
        }
        let lines: Vec<Shown> = diagnostics
            .iter()
            .map(|diagnostic| Shown::of(text, &self.index, diagnostic))
            .collect();
        lines
            .iter()
            .all(|shown| self.masking.shows(&shown.bytes))
            .then_some(Cow::Owned(lines))
    }
}

/// The lines shown of a finding: the one it starts on and up to 3 more it covers.
#[derive(Clone, Debug)]
struct Shown {
    /// The shown lines (0-based).
    lines: RangeInclusive<usize>,
    /// The shown lines as a byte range of the text, line breaks included.
    bytes: Range<usize>,
}

impl Shown {
    /// The 0-based line and column (in characters) where `offset` is, when it is on the
    /// first shown line (a finding's start): as [`LineIndex::position`] finds it, without
    /// searching for the line again.
    fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut end = offset.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        (
            *self.lines.start(),
            text[self.bytes.start..end].chars().count(),
        )
    }

    fn of(text: &str, index: &LineIndex, diagnostic: &Diagnostic) -> Shown {
        let first_line = index.line_of(diagnostic.range.start);
        let last_line = index
            .line_of(
                diagnostic
                    .range
                    .end
                    .saturating_sub(1)
                    .max(diagnostic.range.start),
            )
            .min(first_line + 3);
        let line_start = index.line_start(first_line).unwrap_or(0);
        let line_end = index.line_start(last_line + 1).unwrap_or(text.len());
        Shown {
            lines: first_line..=last_line,
            bytes: line_start..line_end,
        }
    }
}

/// What a finding's context shows: its lines, masked, with its range underlined and its
/// fix as help.
#[derive(Debug)]
struct Context<'a> {
    /// The shown lines, masked, without the last line break.
    shown: &'a str,
    /// The number of the first shown line (1-based).
    line_number: usize,
    /// The underlined bytes of `shown`.
    span: Range<usize>,
    severity: Severity,
    /// The fix, shown as help (`fix: DESCRIPTION` and, when unsafe, what it needs).
    help: Option<(&'a str, &'static str)>,
}

fn context<'a>(redacted: &'a Redacted, lines: &Shown, diagnostic: &'a Diagnostic) -> Context<'a> {
    let bytes = &lines.bytes;
    let map = redacted.map_from(bytes.start);
    let shown_start = map(bytes.start, false);
    let shown_end = map(bytes.end, true).max(shown_start);
    let shown = &redacted.text[shown_start..shown_end];
    let kept = shown
        .bytes()
        .rposition(|byte| !matches!(byte, b'\n' | b'\r'))
        .map_or(0, |last| last + 1);
    let shown = &shown[..kept];
    let span_start = map(diagnostic.range.start, false)
        .saturating_sub(shown_start)
        .min(shown.len());
    let span_end = map(diagnostic.range.end, true)
        .saturating_sub(shown_start)
        .clamp(span_start, shown.len());
    let help = diagnostic.fix.as_ref().map(|fix| {
        let safety = if fix.applicability == keylint_core::Applicability::Safe {
            ""
        } else {
            " (unsafe: needs --unsafe-fixes)"
        };
        (fix.description.as_str(), safety)
    });
    Context {
        shown,
        line_number: lines.lines.start() + 1,
        span: span_start..span_end,
        severity: diagnostic.severity,
        help,
    }
}

/// Draws contexts as annotate-snippets does. Most show one short line of plain characters,
/// which it lays out without trimming or replacing anything; those are written here
/// directly (a test holds the two equal), the rest by annotate-snippets.
pub struct Drawer {
    renderer: Renderer,
    /// The constant runs of a drawn context, with the escape codes of
    /// `Renderer::styled()` (none when plain) for its line numbers and bars, its `help`
    /// label and its reset: joined up front, a context is a few pieces rather than one
    /// per code. One set for each width of line number (by its digits), which sets the
    /// margin.
    pieces: Vec<Pieces>,
    /// Each severity's underline style (error, warning, info).
    underline: [String; 3],
    reset: String,
    /// What a header shows between the column and the code for each severity (` error[`
    /// with its style), and after the code (`] ` with the reset).
    severity_start: [String; 3],
    severity_end: String,
}

/// [`Drawer::pieces`] for one margin; each is named by what it draws.
struct Pieces {
    /// The first line, a bar at the margin, and the style of the line number after it.
    number_start: String,
    /// After the line number: the reset, a blank and the bar.
    number_end: String,
    /// The line break and margin before the underline.
    underline_start: String,
    /// A line with a bar, then `= help: fix: `.
    help: String,
}

impl Pieces {
    /// One set for each width of line number, by its digits (up to `usize::MAX`'s).
    fn for_margins(line_number: &str, emphasis: &str, reset: &str) -> Vec<Pieces> {
        let bar = format!("{line_number}|{reset}");
        (0..=usize::MAX.ilog10() as usize + 1)
            .map(|digits| {
                let margin = &SPACES[..digits + 1];
                Pieces {
                    number_start: format!("{margin}{bar}\n{line_number}"),
                    number_end: format!("{reset} {bar}"),
                    underline_start: format!("\n{margin}{bar} "),
                    help: format!(
                        "\n{margin}{bar}\n{margin}{line_number}= {reset}{emphasis}help{reset}: fix: "
                    ),
                }
            })
            .collect()
    }
}

impl Drawer {
    pub fn new(color: bool) -> Drawer {
        use annotate_snippets::renderer::{
            DEFAULT_EMPHASIS_STYLE, DEFAULT_ERROR_STYLE, DEFAULT_INFO_STYLE,
            DEFAULT_LINE_NUM_STYLE, DEFAULT_WARNING_STYLE,
        };
        let severity_start = [Severity::Error, Severity::Warning, Severity::Info].map(|severity| {
            let (style, _) = severity_style(severity, color);
            format!(" {style}{}[", severity.as_str())
        });
        let severity_end = format!("]{} ", severity_style(Severity::Error, color).1);
        if !color {
            return Drawer {
                renderer: Renderer::plain(),
                pieces: Pieces::for_margins("", "", ""),
                underline: Default::default(),
                reset: String::new(),
                severity_start,
                severity_end,
            };
        }
        let reset = DEFAULT_LINE_NUM_STYLE.render_reset().to_string();
        Drawer {
            renderer: Renderer::styled(),
            pieces: Pieces::for_margins(
                &DEFAULT_LINE_NUM_STYLE.render().to_string(),
                &DEFAULT_EMPHASIS_STYLE.render().to_string(),
                &reset,
            ),
            underline: [
                DEFAULT_ERROR_STYLE,
                DEFAULT_WARNING_STYLE,
                DEFAULT_INFO_STYLE,
            ]
            .map(|style| style.render().to_string()),
            reset,
            severity_start,
            severity_end,
        }
    }

    /// Appends `path:line:column severity[CODE] name: message`; `path` is already masked
    /// and ends with its `:`.
    fn header(
        &self,
        out: &mut String,
        path: &str,
        line: usize,
        column: usize,
        diagnostic: &Diagnostic,
    ) {
        let (mut line_digits, mut column_digits) = (itoa::Buffer::new(), itoa::Buffer::new());
        out.push_str(path);
        out.push_str(line_digits.format(line));
        out.push(':');
        out.push_str(column_digits.format(column));
        out.push_str(&self.severity_start[severity_index(diagnostic.severity)]);
        out.push_str(diagnostic.code);
        out.push_str(&self.severity_end);
        out.push_str(diagnostic.name);
        out.push_str(": ");
        out.push_str(&diagnostic.message);
        out.push('\n');
    }

    /// One file's findings, each with its source lines; the summary line is the caller's.
    pub fn file(&self, report: &FileReport) -> String {
        if report.diagnostics.is_empty() {
            return String::new();
        }
        // A finding's header and context take a few hundred bytes: room for them up front
        // rather than growing the text piece by piece.
        let mut out = String::with_capacity(512 * report.diagnostics.len());
        // Masked once per file: every finding's header repeats it.
        let path = for_display(&report.path);
        let path = [path.as_ref(), ":"].concat();
        let Some(text) = report.text.as_deref() else {
            for diagnostic in &report.diagnostics {
                self.header(&mut out, &path, 1, 1, diagnostic);
            }
            return out;
        };
        let judged;
        let (shown, lines) = match report
            .shown
            .as_ref()
            .and_then(|shown| Some((shown, shown.lines_of(text, &report.diagnostics)?)))
        {
            Some(found) => found,
            // Judged when linted, unless the findings changed since (the probe adds some).
            None => {
                judged = ShownLines::of(
                    text,
                    &ParsedFile::parse(report.kind, text),
                    None,
                    &report.diagnostics,
                );
                (&judged, Cow::Borrowed(judged.lines.as_slice()))
            }
        };
        let redacted = shown.masking.redact(text);
        for (diagnostic, lines) in report.diagnostics.iter().zip(lines.iter()) {
            let (line, column) = lines.position(text, diagnostic.range.start);
            self.header(&mut out, &path, line + 1, column + 1, diagnostic);
            self.draw(&mut out, &context(&redacted, lines, diagnostic));
            out.push('\n');
        }
        out
    }

    /// Appends `context` drawn, without a last line break.
    fn draw(&self, out: &mut String, context: &Context) {
        if !self.draw_plain_line(out, context) {
            out.push_str(&self.renderer.render(&[annotated(context)]));
        }
    }

    /// Appends `context` as annotate-snippets draws it when it is one line of printable
    /// ASCII and `…` (one column each, nothing replaced) that it neither trims on the left
    /// (the indent and the underline both deeper than 26 columns) nor on the right (wider
    /// than its 140 columns less the margin); `false`, with nothing appended, otherwise.
    fn draw_plain_line(&self, out: &mut String, context: &Context) -> bool {
        const TERM_WIDTH: usize = annotate_snippets::renderer::DEFAULT_TERM_WIDTH;
        const MAX_TRIMMED_INDENT: usize = 26;
        let Context {
            shown,
            line_number,
            span,
            severity,
            help,
        } = context;
        if shown.get(span.clone()).is_none()
            || help.is_some_and(|(description, _)| description.contains('\n'))
        {
            return false;
        }
        let Some(PlainColumns {
            span_start,
            span_end,
            width,
        }) = PlainColumns::of(shown.as_bytes(), span)
        else {
            return false;
        };
        let mut digits = itoa::Buffer::new();
        let digits = digits.format(*line_number);
        let indent = shown.bytes().take_while(|&byte| byte == b' ').count();
        if width > TERM_WIDTH - (digits.len() + 3) || indent.min(span_start) > MAX_TRIMMED_INDENT {
            return false;
        }
        let Drawer {
            pieces,
            underline,
            reset,
            ..
        } = self;
        let pieces = &pieces[digits.len()];
        let underline = &underline[severity_index(*severity)];
        out.push_str(&pieces.number_start);
        out.push_str(digits);
        out.push_str(&pieces.number_end);
        if !shown.is_empty() {
            out.push(' ');
            out.push_str(shown);
        }
        out.push_str(&pieces.underline_start);
        push_repeated(out, SPACES, span_start);
        out.push_str(underline);
        push_repeated(out, CARETS, (span_end - span_start).max(1));
        out.push_str(reset);
        if let Some((description, safety)) = help {
            out.push_str(&pieces.help);
            out.push_str(description);
            out.push_str(safety);
        }
        true
    }
}

/// The place of `severity`'s styles in the [`Drawer`]'s lists: error, warning, info.
fn severity_index(severity: Severity) -> usize {
    match severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

/// Appends `count` copies of the one ASCII character `run` repeats, a slice of it at a
/// time rather than a character at a time.
fn push_repeated(out: &mut String, run: &str, mut count: usize) {
    while count > 0 {
        let length = count.min(run.len());
        out.push_str(&run[..length]);
        count -= length;
    }
}

/// Runs as long as the widest line annotate-snippets leaves untrimmed.
const SPACES: &str = ascii_run(&[b' '; annotate_snippets::renderer::DEFAULT_TERM_WIDTH]);
const CARETS: &str = ascii_run(&[b'^'; annotate_snippets::renderer::DEFAULT_TERM_WIDTH]);

const fn ascii_run(bytes: &'static [u8]) -> &'static str {
    match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => panic!("an ASCII run is UTF-8"),
    }
}

/// The columns of a shown line of printable ASCII and `…`, one column per character.
#[derive(Debug, PartialEq)]
struct PlainColumns {
    /// Columns before the underlined span and up to its end.
    span_start: usize,
    span_end: usize,
    width: usize,
}

impl PlainColumns {
    /// The columns of `shown` and of `span` (on character boundaries) in it, when every
    /// character of it is printable ASCII or `…`; `None` otherwise.
    fn of(shown: &[u8], span: &Range<usize>) -> Option<PlainColumns> {
        const ELLIPSIS: &[u8] = "…".as_bytes();
        // `…` found before the span's start, before its end, in all.
        let (mut before_start, mut before_end, mut all) = (0, 0, 0);
        let mut at = printable_ascii_run(shown);
        while at < shown.len() {
            if !shown[at..].starts_with(ELLIPSIS) {
                return None;
            }
            before_start += usize::from(at < span.start);
            before_end += usize::from(at < span.end);
            all += 1;
            at += ELLIPSIS.len();
            at += printable_ascii_run(&shown[at..]);
        }
        // `…` takes three bytes and one column.
        Some(PlainColumns {
            span_start: span.start - 2 * before_start,
            span_end: span.end - 2 * before_end,
            width: shown.len() - 2 * all,
        })
    }
}

/// `context` as an annotate-snippets group.
fn annotated<'a>(context: &'a Context) -> Group<'a> {
    let level = match context.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    };
    let group = Group::with_level(level).element(
        Snippet::source(context.shown)
            .line_start(context.line_number)
            .annotation(AnnotationKind::Primary.span(context.span.clone())),
    );
    match context.help {
        Some((description, safety)) => {
            group.element(Level::HELP.message(format!("fix: {description}{safety}")))
        }
        None => group,
    }
}

pub fn summary_line(summary: &Summary) -> String {
    let plural =
        |count: usize, word: &str| format!("{count} {word}{}", if count == 1 { "" } else { "s" });
    if summary.errors + summary.warnings + summary.infos == 0 {
        return format!("No problems found in {}.\n", plural(summary.files, "file"));
    }
    format!(
        "Found {}, {} and {} in {}.\n",
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
        plural(summary.infos, "info"),
        plural(summary.files, "file")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Pieces of shown lines: the plain characters the direct drawing takes…
    const PLAIN: [&str; 10] = [
        "A",
        "z",
        "9",
        "=",
        "\"",
        "_",
        " ",
        "    ",
        "…",
        "sk-proj-…x9Qa",
    ];
    /// …and those it leaves to annotate-snippets (tab, controls, wide, zero-width and other
    /// non-ASCII characters).
    const OTHER: [&str; 6] = ["\t", "é", "界", "\u{200b}", "\u{1b}", "\r"];

    /// A line of `pieces` cut to a width around the 140 columns annotate-snippets draws.
    fn line(pieces: Vec<&'static str>) -> impl Strategy<Value = String> {
        (
            0usize..40,
            prop::collection::vec(prop::sample::select(pieces), 1..20),
            prop_oneof![0usize..60, 125usize..140],
        )
            .prop_map(|(indent, pieces, width)| {
                (" ".repeat(indent) + &pieces.concat().repeat(140))
                    .chars()
                    .take(width)
                    .collect()
            })
    }

    /// Lines mostly of plain pieces, some with another piece.
    fn any_line() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => line(PLAIN.to_vec()),
            1 => line(PLAIN.into_iter().chain(OTHER).collect()),
        ]
    }

    type Help = Option<(String, &'static str)>;

    fn context() -> impl Strategy<Value = (String, usize, (usize, usize), Severity, Help)> {
        let lines = prop_oneof![
            6 => any_line(),
            1 => prop::collection::vec(any_line(), 2..=4).prop_map(|lines| lines.join("\n")),
        ];
        let line_number = prop_oneof![
            1usize..10,
            10usize..100,
            100usize..1000,
            9_990usize..100_010
        ];
        let severity =
            prop::sample::select(vec![Severity::Error, Severity::Warning, Severity::Info]);
        let help = prop::option::of((
            prop_oneof![
                Just("Remove the quotes".to_string()),
                Just("Replace `=` — and \u{2026}".to_string()),
                Just("two\nlines".to_string()),
                "[ -~]{0,30}",
            ],
            prop::sample::select(vec!["", " (unsafe: needs --unsafe-fixes)"]),
        ));
        // Span ends picked anywhere, at the ends and past them; moved to char boundaries.
        let span = (0usize..200, 0usize..200);
        (lines, line_number, span, severity, help)
    }

    fn at_boundary(text: &str, at: usize) -> usize {
        (at.min(text.len())..=text.len())
            .find(|&at| text.is_char_boundary(at))
            .unwrap_or(text.len())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

        /// Whatever the direct drawing accepts, it draws as annotate-snippets does.
        #[test]
        fn the_plain_line_is_drawn_as_annotate_snippets_draws_it(
            (shown, line_number, (a, b), severity, help) in context(),
            color in any::<bool>(),
            at_end in any::<bool>(),
        ) {
            let (a, b) = if at_end { (shown.len(), b) } else { (a, b) };
            let start = at_boundary(&shown, a.min(b));
            let end = at_boundary(&shown, a.max(b)).max(start);
            let help = help.as_ref().map(|(description, safety)| (description.as_str(), *safety));
            let context = Context { shown: &shown, line_number, span: start..end, severity, help };
            let drawer = Drawer::new(color);
            let mut direct = String::new();
            if drawer.draw_plain_line(&mut direct, &context) {
                prop_assert_eq!(direct, drawer.renderer.render(&[annotated(&context)]), "{:?}", context);
            }
        }
    }

    proptest! {
        /// The columns counted eight bytes at a time are those counted a character at a time.
        #[test]
        fn plain_columns_are_counted_by_character(shown in any_line(), a in 0usize..200, b in 0usize..200) {
            let start = at_boundary(&shown, a.min(b));
            let end = at_boundary(&shown, a.max(b)).max(start);
            let plain = shown.chars().all(|character| matches!(character, ' '..='~' | '…'));
            let columns = |text: &str| text.chars().count();
            let expected = plain.then(|| PlainColumns {
                span_start: columns(&shown[..start]),
                span_end: columns(&shown[..end]),
                width: columns(&shown),
            });
            prop_assert_eq!(PlainColumns::of(shown.as_bytes(), &(start..end)), expected);
        }

        /// A finding's position is found from its shown lines as the line index finds it.
        #[test]
        fn a_position_is_found_from_the_shown_lines(
            pieces in prop::collection::vec(prop::sample::select(vec!["a", "é", "\n", "\r", "\r\n", "…", " "]), 0..40),
            start in 0usize..60,
            length in 0usize..10,
        ) {
            let text = pieces.concat();
            let index = LineIndex::new(&text);
            let diagnostic = Diagnostic {
                code: "KL000",
                name: "test",
                severity: Severity::Warning,
                range: start..start + length,
                message: String::new(),
                fix: None,
            };
            let position = index.position(&text, start, keylint_core::ColumnUnit::Scalar);
            prop_assert_eq!(
                Shown::of(&text, &index, &diagnostic).position(&text, start),
                (position.line, position.column)
            );
        }
    }

    /// The direct drawing takes the common shapes (else the test above proves little).
    #[test]
    fn the_common_shapes_are_drawn_directly() {
        let long = format!("A={}", "x".repeat(130));
        for (shown, span, help) in [
            ("OPENAI_ORG_ID=AIza…4tnw", 14..25, None),
            (
                "SECRET_KEY = sk-ant-api03-…h8AA",
                10..13,
                Some(("Replace", " (unsafe: needs --unsafe-fixes)")),
            ),
            ("A=1", 3..3, None),
            ("", 0..0, Some(("Remove the line", ""))),
            ("      - OPENAI_API_KEY", 8..22, None),
            (long.as_str(), 0..1, None),
        ] {
            for color in [false, true] {
                let context = Context {
                    shown,
                    line_number: 1234,
                    span: span.clone(),
                    severity: Severity::Warning,
                    help,
                };
                assert!(
                    Drawer::new(color).draw_plain_line(&mut String::new(), &context),
                    "{context:?}"
                );
            }
        }
    }
}
