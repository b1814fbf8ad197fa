//! Rendering a result for people: plain text (the terminal) and Markdown.
