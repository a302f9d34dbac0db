package engine

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// fpos is a place in the rules file: line and column, 1-based, columns in
// characters.
type fpos struct{ line, col int }

// valueMap maps each character of the value of a quoted, plain or folded
// scalar to its place in the file, by value line and column. YAML folds
// such scalars (a line break becomes a space) and unescapes them (a
// doubled single quote becomes one), so a place in the value is no plain
// offset from the node. It is nil when the value is a plain copy of one
// source line, or when the value cannot be rebuilt from the source exactly.
func (l *loader) valueMap(n *yaml.Node) [][]fpos {
	start, quote, strip := fpos{n.Line, n.Column}, rune(0), -1
	switch {
	case n.Style&yaml.LiteralStyle != 0:
		return nil
	case n.Style&yaml.FoldedStyle != 0:
		start, strip = fpos{n.Line + 1, l.blockIndent(n) + 1}, l.blockIndent(n)
	case n.Style&yaml.SingleQuotedStyle != 0:
		start.col, quote = start.col+1, '\''
	case n.Style&yaml.DoubleQuotedStyle != 0:
		start.col, quote = start.col+1, '"'
	case l.onOneLine(n):
		return nil
	}

	f := folder{lines: l.lines, line: start.line - 1, quote: quote, strip: strip,
		want: utf8.RuneCountInString(strings.TrimRight(n.Value, "\n"))}
	f.runes = []rune(l.lines[min(f.line, len(l.lines)-1)])
	f.col = start.col - 1
	if !f.fold() || string(f.out) != strings.TrimRight(n.Value, "\n") {
		return nil
	}
	return f.byLine()
}

// onOneLine reports whether the value of a plain scalar is a plain copy of
// the source from the node's column on.
func (l *loader) onOneLine(n *yaml.Node) bool {
	if n.Line < 1 || n.Line > len(l.lines) {
		return false
	}
	line := []rune(l.lines[n.Line-1])
	from := min(n.Column-1, len(line))
	return strings.HasPrefix(string(line[from:]), n.Value)
}

// folder rebuilds a folded scalar's value from the source, noting where
// each character came from.
type folder struct {
	lines []string
	line  int    // 0-based, in lines
	col   int    // 0-based, in runes
	runes []rune // of the current line
	quote rune   // ', " or 0
	strip int    // indentation to take off continuation lines; -1 all
	want  int    // characters to rebuild, for unquoted scalars

	out []rune
	pos []fpos
}

func (f *folder) emit(r rune, at fpos) {
	f.out = append(f.out, r)
	f.pos = append(f.pos, at)
}

// fold walks the source until the value is rebuilt; false when the source
// ends first.
func (f *folder) fold() bool {
	for f.quote != 0 || len(f.out) < f.want {
		if f.col >= len(f.runes) {
			if !f.nextLine(true) {
				return false
			}
			continue
		}
		at, r := fpos{f.line + 1, f.col + 1}, f.runes[f.col]
		switch {
		case r == f.quote && f.quote == '\'' && f.peek(1) == '\'':
			f.emit('\'', at)
			f.col += 2
		case r == f.quote:
			return true
		case r == '\\' && f.quote == '"':
			if !f.escape(at) {
				return false
			}
		default:
			f.emit(r, at)
			f.col++
		}
	}
	return true
}

func (f *folder) peek(k int) rune {
	if f.col+k < len(f.runes) {
		return f.runes[f.col+k]
	}
	return 0
}

// nextLine folds a line break: trailing blanks go, then a space, or one
// line break per empty line skipped, unless the break was escaped.
func (f *folder) nextLine(fold bool) bool {
	for len(f.out) > 0 && fold && (f.out[len(f.out)-1] == ' ' || f.out[len(f.out)-1] == '\t') {
		f.out, f.pos = f.out[:len(f.out)-1], f.pos[:len(f.pos)-1]
	}
	empty := 0
	for {
		f.line++
		if f.line >= len(f.lines) {
			return false
		}
		f.runes = []rune(f.lines[f.line])
		f.col = f.indent()
		if strings.TrimSpace(string(f.runes)) != "" {
			break
		}
		empty++
	}
	at := fpos{f.line + 1, f.col + 1}
	switch {
	case !fold:
	case empty == 0:
		f.emit(' ', at)
	default:
		for range empty {
			f.emit('\n', at)
		}
	}
	return true
}

// indent is where a continuation line's text starts.
func (f *folder) indent() int {
	i := 0
	for i < len(f.runes) && (f.strip < 0 || i < f.strip) && (f.runes[i] == ' ' || f.runes[i] == '\t') {
		i++
	}
	return i
}

// escapes are the one-letter escapes of double-quoted YAML.
var escapes = map[rune]rune{
	'0': 0, 'a': 7, 'b': 8, 't': 9, '\t': 9, 'n': 10, 'v': 11, 'f': 12, 'r': 13,
	'e': 27, ' ': ' ', '"': '"', '/': '/', '\\': '\\', 'N': 0x85, '_': 0xA0,
	'L': 0x2028, 'P': 0x2029,
}

// escape reads the escape at the backslash at f.col.
func (f *folder) escape(at fpos) bool {
	e := f.peek(1)
	if f.col+1 >= len(f.runes) {
		return f.nextLine(false) // an escaped line break joins the lines
	}
	if r, ok := escapes[e]; ok {
		f.emit(r, at)
		f.col += 2
		return true
	}
	size := map[rune]int{'x': 2, 'u': 4, 'U': 8}[e]
	if size == 0 || f.col+2+size > len(f.runes) {
		return false
	}
	code, err := strconv.ParseUint(string(f.runes[f.col+2:f.col+2+size]), 16, 32)
	if err != nil {
		return false
	}
	f.emit(rune(code), at)
	f.col += 2 + size
	return true
}

// byLine splits the places by the value's lines.
func (f *folder) byLine() [][]fpos {
	var lines [][]fpos
	from := 0
	for i, r := range f.out {
		if r == '\n' {
			lines = append(lines, f.pos[from:i])
			from = i + 1
		}
	}
	return append(lines, f.pos[from:])
}
