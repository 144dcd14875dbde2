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
	for start := 0; start < len(src.Src); {
		// goldmark also ends a line at a lone CR.
		end := bytes.IndexAny(src.Src[start:], "\r\n")
		if end < 0 {
			end = len(src.Src)
		} else {
			end += start
		}
		if at := tooDeep(src.Src[start:end]); at >= 0 {
			src.Addf(start+at, "block quotes and lists nested more than %d deep on one line; guidebook refuses deeper nesting", MaxNesting)
			ok = false
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

// tooDeep returns the offset in line of the container marker past
// MaxNesting, or -1. It counts the markers a line starts with, so it
// over-counts (a thematic break "- - -" counts three) but never misses.
func tooDeep(line []byte) int {
	depth := 0
	for i := 0; i < len(line); {
		at := i
		switch c := line[i]; {
		case c == ' ' || c == '\t':
			i++
			continue
		case c == '>':
			i++
		case (c == '-' || c == '*' || c == '+') && (i+1 == len(line) || line[i+1] == ' ' || line[i+1] == '\t'):
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j == len(line) || line[j] != '.' && line[j] != ')' {
				return -1
			}
			i = j + 1
		default:
			return -1
		}
		if depth++; depth > MaxNesting {
			return at
		}
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
	type read struct{ start, depth int }
	var (
		cost         int
		depth        int    // '(' minus ')' since the line began
		plain        []read // pending reads, depth non-decreasing
		angleN, sumQ int    // pending "<…>" reads and their starts summed
	)
	endPlain := func(at, above int) {
		for len(plain) > 0 && plain[len(plain)-1].depth > above {
			cost += at - plain[len(plain)-1].start
			plain = plain[:len(plain)-1]
		}
	}
	endAngle := func(at int) { cost, angleN, sumQ = cost+angleN*at-sumQ, 0, 0 }
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '\\':
			i++ // an escaped character neither opens, closes nor ends
		case ' ', '\t':
			endPlain(i, -1<<62)
		case '\n', '\r':
			endPlain(i, -1<<62)
			endAngle(i)
			depth = 0
		case '>':
			endAngle(i)
		case '(':
			depth++
		case ')':
			depth--
			endPlain(i, depth)
		case ']':
			if i+1 == len(src) || src[i+1] != '(' {
				continue
			}
			if cost > budget {
				return i
			}
			depth++
			j := i + 2
			for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
				j++
			}
			if j > i+2 {
				endPlain(i+2, -1<<62)
			}
			if j < len(src) && src[j] == '<' {
				angleN, sumQ = angleN+1, sumQ+j
			} else {
				plain = append(plain, read{j, depth})
			}
			i = j - 1
		}
	}
	if cost > budget {
		return len(src) - 1
	}
	return -1
}
