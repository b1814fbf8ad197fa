//! The two output styles behind one small trait.

/// Where a report is written: a handful of block kinds, nothing more.
pub trait Writer {
    /// The document title.
    fn title(&mut self, text: &str);
    /// A section heading.
    fn heading(&mut self, text: &str);
    /// A sub-section heading.
    fn subheading(&mut self, text: &str);
    /// A paragraph.
    fn paragraph(&mut self, text: &str);
    /// A list item.
    fn bullet(&mut self, text: &str);
    /// A separator.
    fn rule(&mut self);
}

/// Plain text, wrapped at 88 columns.
#[derive(Debug, Default)]
pub struct Text {
    out: String,
}

const WIDTH: usize = 88;

impl Text {
    /// The finished text.
    pub fn finish(self) -> String {
        self.out
    }

    fn wrapped(&mut self, first: &str, rest: &str, text: &str) {
        let mut line = String::from(first);
        let mut empty = true;
        for word in text.split_whitespace() {
            if !empty && line.chars().count() + 1 + word.chars().count() > WIDTH {
                self.out.push_str(line.trim_end());
                self.out.push('\n');
                line = String::from(rest);
                empty = true;
            }
            if !empty {
                line.push(' ');
            }
            line.push_str(word);
            empty = false;
        }
        self.out.push_str(line.trim_end());
        self.out.push('\n');
    }
}

impl Writer for Text {
    fn title(&mut self, text: &str) {
        self.out.push_str(&text.to_uppercase());
        self.out.push('\n');
    }
    fn heading(&mut self, text: &str) {
        self.out.push('\n');
        self.out.push_str(text);
        self.out.push('\n');
        self.out.push_str(&"=".repeat(text.chars().count().min(WIDTH)));
        self.out.push('\n');
    }
    fn subheading(&mut self, text: &str) {
        self.out.push('\n');
        self.wrapped("", "   ", text);
    }
    fn paragraph(&mut self, text: &str) {
        self.wrapped("", "", text);
    }
    fn bullet(&mut self, text: &str) {
        self.wrapped("  - ", "    ", text);
    }
    fn rule(&mut self) {
        self.out.push('\n');
        self.out.push_str(&"-".repeat(WIDTH));
        self.out.push('\n');
    }
}

/// Markdown.
#[derive(Debug, Default)]
pub struct Markdown {
    out: String,
    in_list: bool,
}

impl Markdown {
    /// The finished Markdown.
    pub fn finish(self) -> String {
        self.out
    }

    fn block(&mut self, text: &str) {
        if self.in_list {
            self.out.push('\n');
            self.in_list = false;
        }
        self.out.push_str(text);
        self.out.push_str("\n\n");
    }
}

/// Escape the characters that would otherwise start Markdown syntax inside running text.
fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '_' | '`' | '<' | '>' | '[' | ']' | '#' | '|') {
            s.push('\\');
        }
        s.push(c);
    }
    s
}

impl Writer for Markdown {
    fn title(&mut self, text: &str) {
        self.block(&format!("# {}", escape(text)));
    }
    fn heading(&mut self, text: &str) {
        self.block(&format!("## {}", escape(text)));
    }
    fn subheading(&mut self, text: &str) {
        self.block(&format!("### {}", escape(text)));
    }
    fn paragraph(&mut self, text: &str) {
        self.block(&escape(text));
    }
    fn bullet(&mut self, text: &str) {
        self.out.push_str("- ");
        self.out.push_str(&escape(text));
        self.out.push('\n');
        self.in_list = true;
    }
    fn rule(&mut self) {
        self.block("---");
    }
}
