package sqlstore

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// storedJSON reads the JSON the store writes itself, json.Marshal's form:
// no spaces, members by their field names, each once, texts without
// escapes. Reading a campaign's results decodes every sheet and project of
// the campaign, and encoding/json spent most of that time on them. Each
// method reports false where the text is not in that form; the caller
// then hands the whole text to json.Unmarshal, which decides on it (see
// decodeSheetContent), so that what is read is always what json.Unmarshal
// would read. The strings it returns share the text's memory.
type storedJSON struct {
	b  string
	at int
}

func (r *storedJSON) next(c byte) bool {
	if r.at < len(r.b) && r.b[r.at] == c {
		r.at++
		return true
	}
	return false
}

func (r *storedJSON) literal(s string) bool {
	if strings.HasPrefix(r.b[r.at:], s) {
		r.at += len(s)
		return true
	}
	return false
}

// done reports whether the whole text was read.
func (r *storedJSON) done() bool { return r.at == len(r.b) }

// object reads an object whose members are among names, each at most
// once; member(i) reads the value of names[i]. A member that is null is
// left as it is: json.Unmarshal leaves it so, and the decoders decode into
// a new value, where it is the zero value.
func (r *storedJSON) object(names []string, member func(i int) bool) bool {
	if !r.next('{') {
		return false
	}
	if r.next('}') {
		return true
	}
	var seen uint64
	for {
		name, ok := r.name()
		if !ok || !r.next(':') {
			return false
		}
		i := slices.Index(names, name)
		if i < 0 || seen&(1<<i) != 0 {
			return false
		}
		seen |= 1 << i
		if !r.literal("null") && !member(i) {
			return false
		}
		if r.next('}') {
			return true
		}
		if !r.next(',') {
			return false
		}
	}
}

// name reads an object's member name: letters and underscores, as the
// field names are.
func (r *storedJSON) name() (string, bool) {
	if !r.next('"') {
		return "", false
	}
	start := r.at
	for r.at < len(r.b) && (r.b[r.at] >= 'a' && r.b[r.at] <= 'z' || r.b[r.at] == '_') {
		r.at++
	}
	name := r.b[start:r.at]
	return name, r.next('"')
}

// entries reads an object of any keys into a map: entry(key) reads the
// value and stores it, reporting false for a key twice.
func (r *storedJSON) entries(entry func(key string) bool) bool {
	if !r.next('{') {
		return false
	}
	if r.next('}') {
		return true
	}
	for {
		k, ok := r.string()
		if !ok || !r.next(':') || !entry(k) {
			return false
		}
		if r.next('}') {
			return true
		}
		if !r.next(',') {
			return false
		}
	}
}

// list reads an array: item reads and keeps one element (null is not
// one). The caller makes the empty list json.Unmarshal makes for [].
func (r *storedJSON) list(item func() bool) bool {
	if !r.next('[') {
		return false
	}
	if r.next(']') {
		return true
	}
	for {
		if !item() {
			return false
		}
		if r.next(']') {
			return true
		}
		if !r.next(',') {
			return false
		}
	}
}

// readStrings reads an array of strings, or of a string type.
func readStrings[T ~string](r *storedJSON, list *[]T) bool {
	*list = []T{}
	return r.list(func() bool {
		s, ok := r.string()
		*list = append(*list, T(s))
		return ok
	})
}

// string reads a string without escapes, control characters or invalid
// UTF-8, which is what json.Unmarshal would read for it.
func (r *storedJSON) string() (string, bool) {
	if !r.next('"') {
		return "", false
	}
	rest := r.b[r.at:]
	end := strings.IndexByte(rest, '"')
	if end < 0 {
		return "", false
	}
	s := rest[:end]
	if !plainText(s) || !utf8.ValidString(s) {
		return "", false
	}
	r.at += end + 1
	return s, true
}

// plainText reports whether s has neither a backslash nor a byte below
// 0x20, eight bytes at a time: x has a byte below n (n ≤ 128) exactly
// when (x − n·0x0101…01) &^ x & 0x8080…80 is not zero.
func plainText(s string) bool {
	if strings.IndexByte(s, '\\') >= 0 {
		return false
	}
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if (x-0x20*ones)&^x&highs != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] < 0x20 {
			return false
		}
	}
	return true
}

// number reads the text of a number made of digits, minus signs and
// points; whoever parses it refuses what JSON would.
func (r *storedJSON) number() (string, bool) {
	start := r.at
	for r.at < len(r.b) && (r.b[r.at] >= '0' && r.b[r.at] <= '9' || r.b[r.at] == '-' || r.b[r.at] == '.') {
		r.at++
	}
	return r.b[start:r.at], r.at > start
}

// int64 reads a whole number as json.Unmarshal reads one into an int64
// (strconv.ParseInt of the literal), in JSON's form: no leading zero.
func (r *storedJSON) int64() (int64, bool) {
	s, ok := r.number()
	digits := strings.TrimPrefix(s, "-")
	if !ok || digits == "" || digits[0] == '0' && len(digits) > 1 {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

func (r *storedJSON) bool() (bool, bool) {
	switch {
	case r.literal("true"):
		return true, true
	case r.literal("false"):
		return false, true
	}
	return false, false
}
