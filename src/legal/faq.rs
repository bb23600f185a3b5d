//! FAQ pages (`kind: faq`): each `##` heading is a question, everything up to the next `##`
//! its answer. Questions keep the heading's anchor, so each one can be linked to and stays
//! linkable as long as its wording does.

use crate::markdown::Rendered;

/// One question of an FAQ page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// The question, as its heading reads.
    pub question: String,
    /// The heading's anchor.
    pub anchor: String,
    /// The answer as plain text (deeper headings and their text included).
    pub answer: String,
}

/// The questions of a rendered FAQ page, in order.
pub fn questions(rendered: &Rendered) -> Vec<Question> {
    let mut out: Vec<Question> = Vec::new();
    for section in &rendered.sections {
        match (section.level, &section.anchor) {
            (2, Some(anchor)) => out.push(Question {
                question: section.heading.clone(),
                anchor: anchor.clone(),
                answer: section.text.clone(),
            }),
            (level, _) if level > 2 => {
                if let Some(q) = out.last_mut() {
                    for part in [&section.heading, &section.text] {
                        if !part.is_empty() {
                            if !q.answer.is_empty() {
                                q.answer.push(' ');
                            }
                            q.answer.push_str(part);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{render, DefaultAnchors, Hooks};

    struct Plain;
    impl Hooks for Plain {
        fn resolve(&self, _dest: &str) -> Option<String> {
            None
        }
    }

    #[test]
    fn each_h2_is_a_question_with_its_answer() {
        let body = "Mở đầu.\n\n## Có được hút thuốc không?\n\nKhông.\n\n### Căn cứ\n\nChỉ thị.\n\n## Báo ở đâu?\n\nĐường dây nóng.\n";
        let qs = questions(&render(body, &DefaultAnchors, &Plain));
        assert_eq!(qs.len(), 2);
        assert_eq!(qs[0].question, "Có được hút thuốc không?");
        assert_eq!(qs[0].anchor, "co-duoc-hut-thuoc-khong");
        assert_eq!(qs[0].answer, "Không. Căn cứ Chỉ thị.");
        assert_eq!(qs[1].answer, "Đường dây nóng.");
    }
}
