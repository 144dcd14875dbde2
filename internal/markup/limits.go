package markup

import (
	"bytes"

	"guidebook/internal/diag"
)

// Limits on a chapter's shape. goldmark spends time quadratic in the depth
// of block quotes and lists opened on one line and in the number of
// footnotes; up to these limits that stays far below the cost of reading a
// 4 MB chapter, beyond them a chapter is refused before it is parsed.
const (
	// MaxNesting is the most block quote and list markers ("> ", "- ",
	// "1. ") one line may open.
	MaxNesting = 100
	// MaxFootnotes is the most footnote markers ("[^", references and
	// definitions together) one chapter may have.
	MaxFootnotes = 2000
)

// checkLimits reports where src exceeds a limit, in one pass over the
// bytes, and whether it is within them all.
func checkLimits(src *diag.Source) bool {
	ok := true
	// goldmark also ends a line at a lone CR; without one in the file,
	// bytes.IndexByte finds the line ends far faster than IndexAny.
	ends := []byte("\r\n")
	if bytes.IndexByte(src.Src, '\r') < 0 {
		ends = ends[1:]
	}
	for start := 0; start < len(src.Src); {
		end := indexAny(src.Src[start:], ends)
		if end < 0 {
			end = len(src.Src)
		} else {
			end += start
		}
		// A line shorter than MaxNesting+1 bytes cannot hold more
		// than MaxNesting markers.
		if end-start > MaxNesting {
			if at := tooDeep(src.Src[start:end]); at >= 0 {
				src.Addf(start+at, "block quotes and lists nested more than %d deep on one line; guidebook refuses deeper nesting", MaxNesting)
				ok = false
			}
		}
		start = end + 1
	}
	if at := tooManyDestinations(src.Src); at >= 0 {
		src.Addf(at, "too many links \"](\" without a space or a closing \")\" or \">\" between them; put spaces between links")
		ok = false
	}
	if n := bytes.Count(src.Src, []byte("[^")); n > MaxFootnotes {
		at := 0
		for i := 0; i <= MaxFootnotes; i++ {
			at += bytes.Index(src.Src[at:], []byte("[^")) + 2
		}
		src.Addf(at-2, "%d footnote markers \"[^\"; the limit is %d per chapter", n, MaxFootnotes)
		ok = false
	}
	return ok
}

// indexAny is bytes.IndexAny for one or two bytes.
func indexAny(s, set []byte) int {
	if len(set) == 1 {
		return bytes.IndexByte(s, set[0])
	}
	return bytes.IndexAny(s, string(set))
}

// tooDeep returns the offset in line of the container marker past
// MaxNesting, or -1. It counts the markers a line starts with, so it
// over-counts (a thematic break "- - -" counts three) but never misses.
func tooDeep(line []byte) int {
	depth := 0
	for i := 0; i < len(line); {
		if line[i] == ' ' || line[i] == '\t' {
			i++
			continue
		}
		n := containerMarker(line[i:])
		if n < 0 {
			return -1
		}
		at := i
		i += n
		if depth++; depth > MaxNesting {
			return at
		}
	}
	return -1
}

// containerMarker returns the length of the block quote or list marker
// (">", "-", "*", "+", "1.", "1)") that s starts with, or -1.
func containerMarker(s []byte) int {
	switch c := s[0]; {
	case c == '>':
		return 1
	case (c == '-' || c == '*' || c == '+') && (len(s) == 1 || s[1] == ' ' || s[1] == '\t'):
		return 1
	case c >= '0' && c <= '9':
		j := 0
		for j < len(s) && j < 9 && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == len(s) || s[j] != '.' && s[j] != ')' {
			return -1
		}
		return j + 1
	}
	return -1
}

// tooManyDestinations bounds goldmark's inline link parser, which reads a
// destination after each "](" up to the next space or the ')' that
// closes it (to the next '>' for "<…>"), so a run of n unclosed "](" costs
// n² steps. It adds up those reads in one pass, as the parser would make
// them, and returns the offset of the "](" that takes the sum past a
// budget linear in the chapter's size, or -1.
func tooManyDestinations(src []byte) int {
	budget := 64*len(src) + 1<<20
	// Each read costs at most len(src) and each "](" starts at most one,
	// so a chapter with few of them is within budget without the pass.
	if bytes.Count(src, []byte("](")) <= budget/max(len(src), 1) {
		return -1
	}
	return destinationsPast(src, budget)
}

// destinationsPast is tooManyDestinations' pass.
func destinationsPast(src []byte, budget int) int {
	var d destinations
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '\\':
			i++ // an escaped character neither opens, closes nor ends
		case ' ', '\t':
			d.endPlain(i, belowAll)
		case '\n', '\r':
			d.endPlain(i, belowAll)
			d.endAngle(i)
			d.depth = 0
		case '>':
			d.endAngle(i)
		case '(':
			d.depth++
		case ')':
			d.depth--
			d.endPlain(i, d.depth)
		case ']':
			if i+1 == len(src) || src[i+1] != '(' {
				continue
			}
			if d.cost > budget {
				return i
			}
			i = d.open(src, i)
		}
	}
	if d.cost > budget {
		return len(src) - 1
	}
	return -1
}

// belowAll is a depth below every parenthesis depth: ending the plain
// reads above it ends them all.
const belowAll = -1 << 62

// destinations is the state of tooManyDestinations' pass: the cost of the
// reads ended so far and the reads still pending.
type destinations struct {
	cost         int
	depth        int        // '(' minus ')' since the line began
	plain        []destRead // pending reads, depth non-decreasing
	angleN, sumQ int        // pending "<…>" reads and their starts summed
}

type destRead struct{ start, depth int }

// endPlain ends, at offset at, the pending plain reads deeper than above.
func (d *destinations) endPlain(at, above int) {
	for len(d.plain) > 0 && d.plain[len(d.plain)-1].depth > above {
		d.cost += at - d.plain[len(d.plain)-1].start
		d.plain = d.plain[:len(d.plain)-1]
	}
}

// endAngle ends every pending "<…>" read at offset at.
func (d *destinations) endAngle(at int) {
	d.cost, d.angleN, d.sumQ = d.cost+d.angleN*at-d.sumQ, 0, 0
}

// open starts the read of the destination after the "](" at i and
// returns the offset the pass resumes after.
func (d *destinations) open(src []byte, i int) int {
	d.depth++
	j := i + 2
	for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
		j++
	}
	if j > i+2 {
		d.endPlain(i+2, belowAll)
	}
	if j < len(src) && src[j] == '<' {
		d.angleN, d.sumQ = d.angleN+1, d.sumQ+j
	} else {
		d.plain = append(d.plain, destRead{j, d.depth})
	}
	return j - 1
}
