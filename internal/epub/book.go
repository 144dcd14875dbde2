package epub

import (
	"crypto/sha256"
	"fmt"
	"time"
)

// PageName is the file name of every page: a page with id ID is
// "ID/index.xhtml", as a site page is "ID/index.html".
const PageName = "index.xhtml"

// Book is everything an EPUB holds.
type Book struct {
	Title, Author, Language, Description string
	Identifier                           string    // dc:identifier; see Identifier
	Modified                             time.Time // dcterms:modified; chosen by the caller, never the clock

	Chapters   []Chapter   // reading order
	Glossary   []Term      // alphabetical; a glossary page when not empty
	References []Reference // the works cited, in the bibliography's order

	Styles []File // stylesheets every page links, in order ("css/epub.css")
	Files  []File // other resources, such as the book's images
	// Cover, when not empty, is the path of the one of Files that is the
	// book's cover image: the cover page shows it above the title, and
	// reading systems use it as the book's thumbnail.
	Cover string
}

// Chapter is one content document.
type Chapter struct {
	ID       string // the page's folder: "ID/index.xhtml"
	Title    string
	Headings []Heading // for the table of contents, in document order
	Body     []byte    // well-formed XHTML (a fragment); links relative to the page
}

// Heading is a section of a chapter in the table of contents.
type Heading struct {
	ID    string
	Level int // 2 for a section of the chapter
	Text  string
}

// Term is a glossary entry.
type Term struct {
	ID, Name, Definition string
	Aliases              []string
	See                  []Link // related terms
	Uses                 []Link // where chapters use the term
}

// Reference is a bibliography entry.
type Reference struct {
	ID   string
	HTML string // the formatted entry, well-formed XHTML
	Uses []Link // the chapters that cite it
}

// Link is a link in back matter. Href is relative to the package root
// ("academic/index.xhtml#gb-use-x"); the writer makes it relative to the
// page holding it.
type Link struct {
	Href, Text string
}

// File is a resource at a path relative to the package root.
type File struct {
	Path string
	Data []byte
}

// Identifier derives a stable dc:identifier from what names the book, so
// that every export of one book carries the same identifier (reading
// systems use it to keep a reader's place across updates) and the same
// bytes. It is a name-based UUID (RFC 9562, version 8) in a urn:uuid.
func Identifier(title, author, language string) string {
	h := sha256.Sum256([]byte("guidebook-epub\x00" + title + "\x00" + author + "\x00" + language))
	u := h[:16]
	u[6] = u[6]&0x0f | 0x80 // version 8
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}
