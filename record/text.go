package record

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// emailInText finds email addresses in free text: a domain needs a dot,
// so that a bot's login (bot@GUID) and a@b are left alone.
var emailInText = regexp.MustCompile(
	`[\p{L}\p{N}.!#$%&'*+/=?^_{|}~-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+`)

// scrubText replaces the email addresses, the phone numbers and the names
// of known people in free text by their placeholders.
func (s *scrubber) scrubText(text string) string {
	text = emailInText.ReplaceAllStringFunc(text, s.ph.email)
	text = replacePhones(text, s.ph.phone)
	return s.names.replace(text)
}

// replacePhones replaces each phone number in text by f of it.
func replacePhones(text string, f func(string) string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(text); i++ {
		if !phoneStart(text, i) {
			continue
		}
		end, groups, seps := scanNumber(text, i)
		if !isPhone(text[i:end], groups, seps) || !boundaryAfter(text, end) {
			i = end - 1
			continue
		}
		b.WriteString(text[last:i])
		b.WriteString(f(text[i:end]))
		last, i = end, end-1
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// phoneStart reports whether a number may start at i: a digit, or + or (
// before one, after a space, punctuation or the start of the text. Glued
// to a word, a URL or an identifier (INV-2025-000123) it is not a phone.
func phoneStart(text string, i int) bool {
	c := text[i]
	switch {
	case isDigit(c):
	case (c == '+' || c == '(') && i+1 < len(text) && isDigit(text[i+1]):
	default:
		return false
	}
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	if strings.ContainsRune("-_/.=&?#@+%~", r) {
		return false
	}
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
}

// boundaryAfter reports whether a number that ends at end stands alone.
func boundaryAfter(text string, end int) bool {
	if end == len(text) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(text[end:])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '@' && r != '_'
}

// scanNumber reads digits and the separators between them (space, -, .,
// parentheses, at most two in a row) from i, and returns where the number
// ends (after its last digit), the lengths of its digit groups, and the
// separators it used.
func scanNumber(text string, i int) (end int, groups []int, seps string) {
	j := i
	if text[j] == '+' || text[j] == '(' {
		seps += text[j : j+1]
		j++
	}
	for {
		k := j
		for k < len(text) && isDigit(text[k]) {
			k++
		}
		groups, end = append(groups, k-j), k
		n := 0
		for k+n < len(text) && n < 2 && strings.IndexByte(" -.()", text[k+n]) >= 0 {
			n++
		}
		if n == 0 || k+n == len(text) || !isDigit(text[k+n]) {
			return end, groups, seps
		}
		seps += text[k : k+n]
		j = k + n
	}
}

// isPhone decides whether a number is a phone number. With a leading + it
// is one when it has 7 to 15 digits. Without, a date (2025-03-05), a
// decimal (18450.76) and an amount grouped by thousands (1 000 000 000)
// are not; a local number written 123-45-67 is; others are when they have
// 10 to 15 digits (8 900 123-45-67, (495) 123-45-67, 89001234567).
func isPhone(number string, groups []int, seps string) bool {
	digits := 0
	for _, g := range groups {
		digits += g
	}
	switch {
	case number[0] == '+':
		return digits >= 7 && digits <= 15
	case strings.Contains(seps, "."), isDate(groups, seps), isThousands(groups, seps):
		return false
	case slices.Equal(groups, []int{3, 2, 2}) && seps == "--":
		return true
	}
	return digits >= 10 && digits <= 15
}

// isDate reports whether a number starts like 2025-03-05.
func isDate(groups []int, seps string) bool {
	return len(groups) >= 3 && groups[0] == 4 && groups[1] == 2 && groups[2] == 2 &&
		strings.HasPrefix(seps, "--")
}

// isThousands reports whether a number is grouped by thousands with
// spaces: 1 000 000 000.
func isThousands(groups []int, seps string) bool {
	if len(groups) < 2 || groups[0] > 3 || strings.Trim(seps, " ") != "" {
		return false
	}
	for _, g := range groups[1:] {
		if g != 3 {
			return false
		}
	}
	return len(seps) == len(groups)-1
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// nameList is the names of the people in one body, each with the
// placeholder that replaces it in free text.
type nameList struct {
	placeholder map[string]string // by lower-case name
	pattern     *regexp.Regexp    // any of the names, longest first; nil when none
}

// minName is the shortest name looked for in free text: an initial would
// replace every such letter.
const minName = 2

// add notes that name, wherever it appears in free text, becomes
// placeholder. The first placeholder given for a name stays.
func (l *nameList) add(name, placeholder string) {
	name = strings.Join(strings.Fields(name), " ")
	if utf8.RuneCountInString(name) < minName || isPlaceholderName(name) {
		return
	}
	if l.placeholder == nil {
		l.placeholder = make(map[string]string)
	}
	key := strings.ToLower(name)
	if _, ok := l.placeholder[key]; !ok {
		l.placeholder[key] = placeholder
	}
}

// compile makes the pattern that finds the names.
func (l *nameList) compile() {
	if len(l.placeholder) == 0 {
		return
	}
	names := make([]string, 0, len(l.placeholder))
	for name := range l.placeholder {
		names = append(names, name)
	}
	// Longest first, so that "Anna Maria" wins over "Anna".
	slices.SortFunc(names, func(a, b string) int {
		return cmpLenThenText(a, b)
	})
	quoted := make([]string, len(names))
	for i, name := range names {
		quoted[i] = strings.ReplaceAll(regexp.QuoteMeta(name), " ", `\s+`)
	}
	l.pattern = regexp.MustCompile(`(?i)(?:` + strings.Join(quoted, "|") + `)`)
}

func cmpLenThenText(a, b string) int {
	if len(a) != len(b) {
		return len(b) - len(a)
	}
	return strings.Compare(a, b)
}

// replace replaces each known name that stands as a word of its own in
// text, in any letter case.
func (l *nameList) replace(text string) string {
	if l.pattern == nil {
		return text
	}
	var b strings.Builder
	last := 0
	for _, m := range l.pattern.FindAllStringIndex(text, -1) {
		if !wordAt(text, m[0], m[1]) {
			continue
		}
		b.WriteString(text[last:m[0]])
		b.WriteString(l.lookup(text[m[0]:m[1]]))
		last = m[1]
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// lookup gives the placeholder of a name as found in text.
func (l *nameList) lookup(found string) string {
	key := strings.ToLower(strings.Join(strings.Fields(found), " "))
	if p, ok := l.placeholder[key]; ok {
		return p
	}
	for name, p := range l.placeholder { // a case folding that ToLower misses
		if strings.EqualFold(name, key) {
			return p
		}
	}
	return firstNamePlaceholder
}

// wordAt reports whether text[start:end] is not glued to a letter or a
// digit on either side.
func wordAt(text string, start, end int) bool {
	before, _ := utf8.DecodeLastRuneInString(text[:start])
	after, _ := utf8.DecodeRuneInString(text[end:])
	return !isWordRune(before) && !isWordRune(after)
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
