package files

import (
	"archive/zip"
	"io"
	"net/http"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
)

// Detect returns the content type of a file from its content, never its
// name: one of evaluation.MaterialTypes, or "" for anything else (HTML,
// scripts, executables, text, a damaged archive). It sniffs the first
// bytes as net/http does (magic numbers: %PDF-, the PNG and JPEG
// signatures, PK\x03\x04), and for a zip archive reads its central
// directory: an archive with [Content_Types].xml and parts under word/ is
// a Word document (docx), under xl/ a workbook (xlsx), otherwise a plain
// zip. The standard library covers these few types exactly; a general
// sniffing library would add guesses we do not want.
func Detect(r io.ReaderAt, size int64) string {
	head := make([]byte, 512)
	n, err := r.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return ""
	}
	head = head[:n]
	switch ct := http.DetectContentType(head); ct {
	case evaluation.TypePDF, evaluation.TypePNG, evaluation.TypeJPEG:
		return ct
	case evaluation.TypeZIP:
		return zipType(r, size)
	}
	return ""
}

// zipType tells an Office Open XML document from a plain zip archive, and
// refuses content that starts like a zip but has no readable directory.
func zipType(r io.ReaderAt, size int64) string {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return ""
	}
	var contentTypes, word, xl bool
	for _, f := range z.File {
		switch {
		case f.Name == "[Content_Types].xml":
			contentTypes = true
		case strings.HasPrefix(f.Name, "word/"):
			word = true
		case strings.HasPrefix(f.Name, "xl/"):
			xl = true
		}
	}
	switch {
	case contentTypes && word && !xl:
		return evaluation.TypeDOCX
	case contentTypes && xl && !word:
		return evaluation.TypeXLSX
	}
	return evaluation.TypeZIP
}
