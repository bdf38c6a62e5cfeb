package imports

import (
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"
)

// choice maps the spellings of an enumerated value (Chinese, English, the
// stored value) to the value.
type choice map[string]string

func newChoice(values map[string][]string) choice {
	c := choice{}
	for v, names := range values {
		c[headerKey(v)] = v
		for _, n := range names {
			c[headerKey(n)] = v
		}
	}
	return c
}

// of returns the value a cell names, or the cell as typed when it names
// none, for the domain's rules to refuse with their own message.
func (c choice) of(s string) string {
	if v, ok := c[headerKey(s)]; ok {
		return v
	}
	return s
}

var (
	yes = newChoice(map[string][]string{"1": {"是", "有", "要求", "需要", "y", "yes", "true", "√", "✓", "✔", "t"},
		"0": {"否", "无", "没有", "不要求", "n", "no", "false", "×", "✗", "f"}})
	// The exponent has at most two digits: big.Rat would otherwise
	// compute 10^(whatever a cell says).
	decimalPattern   = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,2})?$`)
	thousandsPattern = regexp.MustCompile(`^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$`)
)

// parseBool reads a yes/no cell; a blank cell is def.
func parseBool(s string, def bool) (bool, bool) {
	if s == "" {
		return def, true
	}
	switch yes[headerKey(s)] {
	case "1":
		return true, true
	case "0":
		return false, true
	}
	return def, false
}

// cleanNumber drops spaces and thousands separators ("1,234.5").
func cleanNumber(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, width.Fold.String(s))
	if thousandsPattern.MatchString(s) {
		s = strings.ReplaceAll(s, ",", "")
	}
	return s
}

// parseNumber reads a number cell; ok is false for anything else, such as
// "5 km" or "≥5" (unit and direction have columns of their own).
func parseNumber(s string) (*float64, bool) {
	if s == "" {
		return nil, true
	}
	s = cleanNumber(s)
	if !decimalPattern.MatchString(s) {
		return nil, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, false
	}
	return &v, true
}

// maxWan is the largest amount a cell may hold: 10 billion yuan, in 万元.
const maxWan = 1e6

// parseWan reads an amount in 万元 (a decimal, optionally followed by 万元)
// and returns it in fen, exactly: decimal arithmetic, not binary floats,
// so 123.4567 万元 is 1,234,567.00 yuan. Fractions of a fen are rounded
// half away from zero. The message is "" when the cell is good.
func parseWan(s string) (int64, string) {
	if s == "" {
		return 0, ""
	}
	s = cleanNumber(s)
	s = strings.TrimSuffix(strings.TrimSuffix(s, "万元"), "万")
	if !decimalPattern.MatchString(s) {
		return 0, "import.not_number"
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return 0, "import.not_number"
	}
	if r.Sign() < 0 || r.Cmp(big.NewRat(maxWan, 1)) > 0 {
		return 0, "error.amount_range"
	}
	fen := new(big.Rat).Mul(r, big.NewRat(1_000_000, 1))
	// Round half away from zero (the amount is not negative).
	q, m := new(big.Int).QuoRem(fen.Num(), fen.Denom(), new(big.Int))
	if new(big.Int).Mul(m, big.NewInt(2)).Cmp(fen.Denom()) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	return q.Int64(), ""
}

var datePattern = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$`)

// parseDate reads a date as YYYY-MM-DD: 2024-01-31, 2024/1/31, 2024.1.31,
// 2024年1月31日, 20240131, or (in a workbook) a date cell, which arrives
// as Excel's day number. Anything else comes back as typed, for the
// domain's rule to refuse.
func parseDate(s string, xlsx, date1904 bool) string {
	if s == "" {
		return ""
	}
	if m := datePattern.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if t.Year() == y && int(t.Month()) == mo && t.Day() == d {
			return t.Format(time.DateOnly)
		}
		return s
	}
	if len(s) == 8 && (strings.HasPrefix(s, "19") || strings.HasPrefix(s, "20")) {
		if t, err := time.Parse("20060102", s); err == nil {
			return t.Format(time.DateOnly)
		}
	}
	if xlsx && decimalPattern.MatchString(s) {
		if v, err := strconv.ParseFloat(s, 64); err == nil && v >= 1 && v < 2958466 {
			if t, err := excelize.ExcelDateToTime(v, date1904); err == nil {
				return t.Format(time.DateOnly)
			}
		}
	}
	return s
}

// splitCell splits a list cell at the separators and at line breaks,
// trimming the entries and dropping blank ones.
func splitCell(s, seps string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || strings.ContainsRune(seps, r)
	})
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// The separators of list cells. Institution names may hold a comma
// ("University of California, Berkeley"), so lists of them split only at
// semicolons, the enumeration comma and line breaks; codes and keywords
// split at commas too, codes and language tags also at spaces.
const (
	sepNames    = ";；、"
	sepKeywords = ";；、,，"
	sepCodes    = ";；、,， \t"
	sepEntries  = ";；"
)

// entries splits a cell of "name, institution, role" entries: entries at
// semicolons or line breaks, parts at commas (full-width too).
func entries(s string) [][3]string {
	var out [][3]string
	for _, e := range splitCell(s, sepEntries) {
		var x [3]string
		// Positions count: ", 复旦大学" has no name. A role may hold a
		// comma.
		var parts []string
		for len(parts) < 2 {
			j := strings.IndexAny(e, ",，")
			if j < 0 {
				break
			}
			_, size := utf8.DecodeRuneInString(e[j:])
			parts, e = append(parts, e[:j]), e[j+size:]
		}
		for i, part := range append(parts, e) {
			x[i] = strings.TrimSpace(part)
		}
		out = append(out, x)
	}
	return out
}
