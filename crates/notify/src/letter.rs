//! Letters as PDF: A4 with the letterhead, the address where an envelope window shows it, then
//! the letter in the reader's language and print size. Urdu is shaped and set right to left;
//! Latin words inside it (references, places) keep their own direction. Fonts are embedded:
//! Noto Sans and Noto Sans Arabic (SIL Open Font License, `fonts/OFL.txt`).

use std::sync::OnceLock;

use krilla::Document;
use krilla::geom::Point;
use krilla::page::PageSettings;
use krilla::text::{Font, TextDirection};
use unicode_bidi::{BidiInfo, Level};

use crate::render::{Recipient, RenderedMessage};

/// A4 in points.
const PAGE: (f32, f32) = (595.28, 841.89);
/// 20 mm margins.
const MARGIN: f32 = 56.7;

/// Why a letter could not be made.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum LetterError {
    /// The message is not a letter to a postal address.
    #[error("not a letter")]
    NotALetter,
    /// The PDF could not be written.
    #[error("the PDF could not be written")]
    Pdf,
}

struct Face {
    pdf: Font,
    shaper: rustybuzz::Face<'static>,
}

struct Fonts {
    latin: Face,
    latin_bold: Face,
    arabic: Face,
    arabic_bold: Face,
}

fn face(data: &'static [u8]) -> Option<Face> {
    Some(Face {
        pdf: Font::new(data.into(), 0)?,
        shaper: rustybuzz::Face::from_slice(data, 0)?,
    })
}

fn fonts() -> Option<&'static Fonts> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            Some(Fonts {
                latin: face(include_bytes!("../fonts/NotoSans-Regular.ttf"))?,
                latin_bold: face(include_bytes!("../fonts/NotoSans-Bold.ttf"))?,
                arabic: face(include_bytes!("../fonts/NotoSansArabic-Regular.ttf"))?,
                arabic_bold: face(include_bytes!("../fonts/NotoSansArabic-Bold.ttf"))?,
            })
        })
        .as_ref()
}

/// True for characters set in the Arabic-script font.
fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// Joins the groups of a number written with spaces (a phone number) with no-break spaces,
/// so it never wraps and, as a common separator between digits, reads left to right inside
/// right-to-left text.
fn keep_numbers_whole(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let between_digits = c == ' '
                && i > 0
                && chars[i - 1].is_ascii_digit()
                && chars.get(i + 1).is_some_and(char::is_ascii_digit);
            if between_digits { '\u{a0}' } else { c }
        })
        .collect()
}

/// A piece of a line in one font and one direction, in visual order.
struct Segment {
    text: String,
    arabic: bool,
    rtl: bool,
    width: f32,
}

struct Writer<'a> {
    fonts: &'a Fonts,
    rtl: bool,
}

impl Writer<'_> {
    fn face(&self, arabic: bool, bold: bool) -> &Face {
        match (arabic, bold) {
            (false, false) => &self.fonts.latin,
            (false, true) => &self.fonts.latin_bold,
            (true, false) => &self.fonts.arabic,
            (true, true) => &self.fonts.arabic_bold,
        }
    }

    fn measure(&self, text: &str, arabic: bool, rtl: bool, bold: bool, size: f32) -> f32 {
        let face = &self.face(arabic, bold).shaper;
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(if rtl {
            rustybuzz::Direction::RightToLeft
        } else {
            rustybuzz::Direction::LeftToRight
        });
        let shaped = rustybuzz::shape(face, &[], buffer);
        let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
        units as f32 / f32::from(face.units_per_em() as u16) * size
    }

    /// Splits one visual run into font segments, in visual order.
    fn segments(&self, run: &str, rtl: bool, bold: bool, size: f32) -> Vec<Segment> {
        let mut pieces: Vec<(String, bool)> = Vec::new();
        for c in run.chars() {
            // Spaces and punctuation stay with the text around them when that font has them.
            let arabic = if is_arabic(c) {
                true
            } else if c.is_alphanumeric() {
                false
            } else {
                let around = pieces.last().map_or(rtl, |p| p.1);
                around && self.face(true, bold).shaper.glyph_index(c).is_some()
            };
            match pieces.last_mut() {
                Some((text, kind)) if *kind == arabic => text.push(c),
                _ => pieces.push((c.to_string(), arabic)),
            }
        }
        if rtl {
            pieces.reverse();
        }
        pieces
            .into_iter()
            .map(|(text, arabic)| Segment {
                width: self.measure(&text, arabic, rtl, bold, size),
                text,
                arabic,
                rtl,
            })
            .collect()
    }

    /// One line (logical order) as segments in visual order, in a paragraph of direction
    /// `rtl`.
    fn visual_line(&self, line: &str, rtl: bool, bold: bool, size: f32) -> Vec<Segment> {
        if !rtl && !line.chars().any(is_arabic) {
            return self.segments(line, false, bold, size);
        }
        let base = if rtl { Level::rtl() } else { Level::ltr() };
        let info = BidiInfo::new(line, Some(base));
        let Some(paragraph) = info.paragraphs.first() else {
            return vec![];
        };
        let (levels, runs) = info.visual_runs(paragraph, paragraph.range.clone());
        runs.into_iter()
            .flat_map(|run| {
                let rtl = levels.get(run.start).is_some_and(|l| l.is_rtl());
                self.segments(&line[run], rtl, bold, size)
            })
            .collect()
    }

    /// Breaks a paragraph into lines that fit `width`, longest words split by character.
    fn wrap(&self, paragraph: &str, bold: bool, size: f32, width: f32) -> Vec<String> {
        let fits = |text: &str| {
            let arabic = text.chars().any(is_arabic);
            self.measure(text, arabic, arabic, bold, size) <= width
        };
        let mut lines = Vec::new();
        let mut current = String::new();
        for word in keep_numbers_whole(paragraph).split_whitespace() {
            let candidate = if current.is_empty() {
                word.to_owned()
            } else {
                format!("{current} {word}")
            };
            if fits(&candidate) {
                current = candidate;
                continue;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            // A web address or reference longer than the line is broken where it must be.
            for c in word.chars() {
                let longer = format!("{current}{c}");
                if !current.is_empty() && !fits(&longer) {
                    lines.push(std::mem::take(&mut current));
                }
                current.push(c);
            }
        }
        if !current.is_empty() {
            lines.push(current);
        }
        lines
    }
}

/// Where the pen is, across pages.
struct Pages {
    document: Document,
    lines: Vec<Vec<(Point, Segment, bool, f32)>>,
    /// Filled squares on each page (a QR code's dark modules): x, y, side.
    squares: Vec<Vec<(f32, f32, f32)>>,
    y: f32,
}

impl Pages {
    fn need(&mut self, height: f32) {
        if self.y + height > PAGE.1 - MARGIN || self.lines.is_empty() {
            self.lines.push(Vec::new());
            self.squares.push(Vec::new());
            self.y = MARGIN;
        }
    }
}

/// How a line of a letter is set.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Letterhead,
    Address,
    Text,
}

/// A letter as PDF.
#[derive(Clone, Debug)]
pub struct LetterPdf {
    /// The file.
    pub bytes: Vec<u8>,
    /// How many A4 pages it has.
    pub pages: usize,
}

/// Lines set onto A4 pages in one print size and direction.
struct Layout<'a> {
    writer: Writer<'a>,
    pages: Pages,
    width: f32,
}

impl<'a> Layout<'a> {
    fn new(fonts: &'a Fonts, rtl: bool) -> Self {
        Self {
            writer: Writer { fonts, rtl },
            pages: Pages {
                document: Document::new(),
                lines: Vec::new(),
                squares: Vec::new(),
                y: MARGIN,
            },
            width: PAGE.0 - 2.0 * MARGIN,
        }
    }

    /// Sets `text` as wrapped lines. The document's own text runs in its direction; a
    /// letterhead follows it but reads left to right; an address block always sits on the
    /// left, where the envelope window shows it.
    fn write(&mut self, text: &str, bold: bool, size: f32, part: Part) -> Result<(), LetterError> {
        let writer = &self.writer;
        let rtl = writer.rtl && part == Part::Text;
        let right = writer.rtl && part != Part::Address;
        for line in writer.wrap(text, bold, size, self.width) {
            let height = size * 1.45;
            self.pages.need(height);
            let segments = writer.visual_line(&line, rtl, bold, size);
            let total: f32 = segments.iter().map(|s| s.width).sum();
            let mut x = if right {
                PAGE.0 - MARGIN - total
            } else {
                MARGIN
            };
            let baseline = self.pages.y + size;
            let page = self.pages.lines.last_mut().ok_or(LetterError::Pdf)?;
            for segment in segments {
                let advance = segment.width;
                page.push((Point::from_xy(x, baseline), segment, bold, size));
                x += advance;
            }
            self.pages.y += height;
        }
        Ok(())
    }

    /// Leaves `height` points of space.
    fn gap(&mut self, height: f32) {
        self.pages.y += height;
    }

    /// Draws a QR code for `text`, `side` points square, centred, with its quiet zone.
    fn qr(&mut self, text: &str, side: f32) -> Result<(), LetterError> {
        let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M)
            .map_err(|_| LetterError::Pdf)?;
        let modules = code.width();
        let colours = code.to_colors();
        // Four modules of quiet zone on every side, as the standard asks.
        let module = side / (modules + 8) as f32;
        self.pages.need(side);
        let left = (PAGE.0 - side) / 2.0 + 4.0 * module;
        let top = self.pages.y + 4.0 * module;
        let page = self.pages.squares.last_mut().ok_or(LetterError::Pdf)?;
        for (i, colour) in colours.iter().enumerate() {
            if *colour == qrcode::Color::Dark {
                let (row, column) = (i / modules, i % modules);
                page.push((
                    left + column as f32 * module,
                    top + row as f32 * module,
                    module,
                ));
            }
        }
        self.pages.y += side;
        Ok(())
    }

    /// Draws every page and writes the PDF with its title and language.
    fn finish(self, title: String, language: &str) -> Result<LetterPdf, LetterError> {
        let Pages {
            mut document,
            lines,
            squares,
            ..
        } = self.pages;
        let count = lines.len();
        for (page_lines, page_squares) in lines.into_iter().zip(squares) {
            let settings = PageSettings::from_wh(PAGE.0, PAGE.1).ok_or(LetterError::Pdf)?;
            let mut page = document.start_page_with(settings);
            let mut surface = page.surface();
            if !page_squares.is_empty() {
                let mut path = krilla::geom::PathBuilder::new();
                for (x, y, side) in page_squares {
                    // A hair larger, so neighbouring modules meet without seams.
                    let rect = krilla::geom::Rect::from_xywh(x, y, side + 0.05, side + 0.05)
                        .ok_or(LetterError::Pdf)?;
                    path.push_rect(rect);
                }
                let path = path.finish().ok_or(LetterError::Pdf)?;
                surface.set_fill(Some(krilla::paint::Fill::default()));
                surface.draw_path(&path);
            }
            for (at, segment, bold, size) in page_lines {
                let face = self.writer.face(segment.arabic, bold);
                surface.draw_text(
                    at,
                    face.pdf.clone(),
                    size,
                    &segment.text,
                    false,
                    if segment.rtl {
                        TextDirection::RightToLeft
                    } else {
                        TextDirection::LeftToRight
                    },
                );
            }
            surface.finish();
            page.finish();
        }
        let metadata = krilla::metadata::Metadata::new()
            .title(title)
            .language(language.to_owned());
        document.set_metadata(metadata);
        let bytes = document.finish().map_err(|_| LetterError::Pdf)?;
        Ok(LetterPdf {
            bytes,
            pages: count,
        })
    }
}

/// Renders a letter to PDF.
pub fn letter_pdf(message: &RenderedMessage) -> Result<LetterPdf, LetterError> {
    let frame = message.letter.as_ref().ok_or(LetterError::NotALetter)?;
    let Recipient::Post {
        name,
        address,
        postcode,
    } = &message.to
    else {
        return Err(LetterError::NotALetter);
    };
    let fonts = fonts().ok_or(LetterError::Pdf)?;
    let size = f32::from(frame.format.point_size());
    let mut out = Layout::new(fonts, message.locale.direction() == "rtl");
    let (team, phone) = &frame.letterhead;
    out.write(team, true, size * 1.25, Part::Letterhead)?;
    out.write(phone, false, size, Part::Letterhead)?;
    out.gap(size);
    let mut address_lines = vec![name.to_string(), address.line1.clone()];
    address_lines.extend(address.line2.clone());
    address_lines.push(address.town.clone());
    address_lines.push(postcode.to_string());
    for line in &address_lines {
        out.write(line, false, size, Part::Address)?;
    }
    out.gap(size);
    for line in [
        Some(&frame.date),
        frame.reference.as_ref(),
        frame.nhs.as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        out.write(line, false, size, Part::Text)?;
    }
    out.gap(size);
    if let Some(subject) = &message.subject {
        out.write(subject, true, size * 1.15, Part::Text)?;
        out.gap(size * 0.5);
    }
    out.write(&frame.greeting, false, size, Part::Text)?;
    out.gap(size * 0.5);
    for paragraph in message.body.split("\n\n") {
        for line in paragraph.lines().filter(|l| !l.trim().is_empty()) {
            out.write(line.trim(), false, size, Part::Text)?;
        }
        out.gap(size * 0.6);
    }
    out.write(&frame.signoff, false, size, Part::Text)?;
    out.write(&frame.from, false, size, Part::Text)?;
    out.gap(size);
    out.write(&frame.other_formats, false, size, Part::Text)?;
    out.finish(
        message.subject.clone().unwrap_or_default(),
        message.locale.language(),
    )
}

/// One block of a printed document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrintBlock {
    /// The document's title.
    Title(String),
    /// A section heading.
    Heading(String),
    /// A label and its text, on one line or wrapped ("Key contact: Priya Shah").
    Field(String, String),
    /// A paragraph.
    Text(String),
    /// A QR code for a web address, with the address printed under it.
    Qr(String),
}

/// A document to print for someone without the internet (a passport, an exercise sheet), in
/// their language and print size.
#[derive(Clone, Debug)]
pub struct PrintDocument {
    /// The language it is written in.
    pub locale: jointly_i18n::Locale,
    /// Body text size in points (12 standard; larger for large print).
    pub point_size: u8,
    /// The service and its phone number, at the top of the first page.
    pub letterhead: (String, String),
    /// Its blocks, in order.
    pub blocks: Vec<PrintBlock>,
}

/// Renders a document to PDF.
pub fn document_pdf(document: &PrintDocument) -> Result<LetterPdf, LetterError> {
    let fonts = fonts().ok_or(LetterError::Pdf)?;
    let size = f32::from(document.point_size.max(10));
    let mut out = Layout::new(fonts, document.locale.direction() == "rtl");
    let (team, phone) = &document.letterhead;
    out.write(team, true, size * 1.25, Part::Letterhead)?;
    out.write(phone, false, size, Part::Letterhead)?;
    out.gap(size);
    let mut title = String::new();
    for block in &document.blocks {
        match block {
            PrintBlock::Title(text) => {
                title.clone_from(text);
                out.write(text, true, size * 1.5, Part::Text)?;
                out.gap(size * 0.5);
            }
            PrintBlock::Heading(text) => {
                out.gap(size * 0.6);
                out.write(text, true, size * 1.2, Part::Text)?;
            }
            PrintBlock::Field(label, text) => {
                out.write(label, true, size, Part::Text)?;
                out.write(text, false, size, Part::Text)?;
            }
            PrintBlock::Text(text) => {
                for line in text.lines().filter(|l| !l.trim().is_empty()) {
                    out.write(line.trim(), false, size, Part::Text)?;
                }
                out.gap(size * 0.3);
            }
            PrintBlock::Qr(address) => {
                out.gap(size * 0.5);
                out.qr(address, 170.0)?;
                out.write(address, true, size, Part::Letterhead)?;
            }
        }
    }
    out.finish(title, document.locale.language())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn poster(blocks: Vec<PrintBlock>) -> LetterPdf {
        document_pdf(&PrintDocument {
            locale: jointly_i18n::Locale::English,
            point_size: 18,
            letterhead: ("Jointly MSK".into(), "0300 123 4567".into()),
            blocks,
        })
        .unwrap()
    }

    #[test]
    fn a_qr_code_is_drawn_as_squares_on_the_page() {
        let text = vec![PrintBlock::Title("Muscle, joint or back pain?".into())];
        let mut with_code = text.clone();
        with_code.push(PrintBlock::Qr("https://jointly.example/refer".into()));
        let (plain, coded) = (poster(text), poster(with_code));
        assert_eq!((plain.pages, coded.pages), (1, 1));
        assert!(coded.bytes.starts_with(b"%PDF"));
        // The code's modules (and the address under it) add to the page.
        assert!(coded.bytes.len() > plain.bytes.len() + 500);
        // An address too long for a QR code is an error, never a broken poster.
        let long = "https://jointly.example/".to_owned() + &"x".repeat(5000);
        assert!(
            document_pdf(&PrintDocument {
                locale: jointly_i18n::Locale::English,
                point_size: 18,
                letterhead: (String::new(), String::new()),
                blocks: vec![PrintBlock::Qr(long)],
            })
            .is_err()
        );
    }
}
