package bib

import "testing"

func TestLatexToUnicode(t *testing.T) {
	for in, want := range map[string]string{
		`{\'e}`:               "é",
		`\'e`:                 "é",
		`\'{e}`:               "é",
		`\"{o}`:               "ö",
		`{\"o}`:               "ö",
		`\"o`:                 "ö",
		`Mend{\'\i}a`:         "Mendía",
		`\^{\i}`:              "î",
		`\~n`:                 "ñ",
		`\c{c}`:               "ç",
		`\c c`:                "ç",
		`\v{s}`:               "š",
		`\H{o}`:               "ő",
		`\k{a}`:               "ą",
		`\r{a}`:               "å",
		`\u{g}`:               "ğ",
		`\={o}`:               "ō",
		`\.{z}`:               "ż",
		`\d{x}`:               "x\u0323",
		`\'x`:                 "x\u0301",
		`{\o}`:                "ø",
		`\ss{}`:               "ß",
		`\ae \oe`:             "æœ",
		`\textit{x} \emph y`:  "x y",
		`\enquote{hi}`:        "“hi”",
		`\href{http://x}{t}`:  "t",
		`a\,b`:                "a b",
		`x \\ y`:              "x y",
		`\{lit\}`:             "{lit}",
		`$\alpha$-tocopherol`: "α-tocopherol",
		`\unknown{kept}`:      "kept",
		"  a \n\t b  ":        "a b",
		`trailing\`:           "trailing",
		`\'`:                  "\u0301",
	} {
		if got := LatexToUnicode(in); got != want {
			t.Errorf("LatexToUnicode(%q) = %q, want %q", in, got, want)
		}
	}
}
