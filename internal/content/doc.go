// Package content loads a book from disk into a model the rest of the
// pipeline reads: chapters with their front matter and raw Markdown, the
// glossary terms, the reference entries and the static files. It is the
// first stage (load → resolve → render → write) and knows nothing of HTML.
// Every file is read through internal/srcfile, whose rules (inside the
// site folder, regular, within a size limit, a name without control
// characters) keep a build from publishing or hanging on what is not the
// author's.
//
// Front matter and the shared glossary are decoded with gopkg.in/yaml.v3
// rather than through goldmark-meta's yaml.v2 map: v3 keeps the line of
// every node, so a wrong type (`order: "x"`) or a duplicate term is reported
// at its exact file:line, which authors need and v2 cannot give. This is
// the only decode: the render stage skips the front matter up to
// BodyStart (the one rule for where it ends) without decoding it again,
// so that AST offsets stay offsets into the whole file.
package content
