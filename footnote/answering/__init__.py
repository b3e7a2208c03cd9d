"""Answer modes: each turns a question and retrieved passages into a footnoted answer."""
