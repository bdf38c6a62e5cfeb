// Package files is the blob store of evalpanel: uploaded files kept on the
// file system under their SHA-256, each content stored once. A file is
// written to a temporary file in the store, synced, and only then renamed
// to its final name, so that a crash never leaves a half-written file
// under a name that readers trust.
//
// The layout is <root>/ab/cd/<sha256>, where ab and cd are the first two
// pairs of hex digits of the hash, so that no folder grows too large.
// Temporary files live in <root>/tmp, on the same file system, for an
// atomic rename.
package files

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
)

// Store is a content-addressed store in a folder. It is safe for
// concurrent use, also by several processes sharing the folder.
type Store struct {
	root string
}

var _ evaluation.Blobs = (*Store)(nil)

// staleTemp is how old a temporary file must be before Open removes it as
// the leftover of a crash.
const staleTemp = time.Hour

// Open returns the store in the folder root, creating the folder if
// needed, and removes temporary files left behind by a crash.
func Open(root string) (*Store, error) {
	if err := os.MkdirAll(filepath.Join(root, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("blob store: %w", err)
	}
	s := &Store{root: root}
	entries, err := os.ReadDir(filepath.Join(root, "tmp"))
	if err != nil {
		return nil, fmt.Errorf("blob store: %w", err)
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > staleTemp {
			os.Remove(filepath.Join(root, "tmp", e.Name()))
		}
	}
	return s, nil
}

// Root is the store's folder.
func (s *Store) Root() string { return s.root }

// Path is where the blob with the hash is (or would be) stored; it is
// empty for anything but 64 lower-case hex digits, so that no hash can
// name a path outside the store.
func (s *Store) Path(sha string) string {
	if !validHash(sha) {
		return ""
	}
	return filepath.Join(s.root, sha[0:2], sha[2:4], sha)
}

func validHash(sha string) bool {
	if len(sha) != 64 {
		return false
	}
	for _, c := range sha {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// Put stores the content of r, at most limit bytes, if Detect recognises
// its type. Content already stored is not stored again (Created is false).
// Anything refused or failed leaves no file behind.
func (s *Store) Put(ctx context.Context, r io.Reader, limit int64) (blob evaluation.Blob, err error) {
	tmp, err := os.CreateTemp(filepath.Join(s.root, "tmp"), "put-*")
	if err != nil {
		return blob, fmt.Errorf("put blob: %w", err)
	}
	defer func() {
		if tmp != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(ctxReader{ctx, r}, limit+1))
	if err != nil {
		return blob, fmt.Errorf("put blob: %w", err)
	}
	if n > limit {
		return blob, fmt.Errorf("put blob: %d bytes or more, limit %d: %w", n, limit, evaluation.ErrBlobTooLarge)
	}
	blob.ContentType = Detect(tmp, n)
	if blob.ContentType == "" {
		return blob, fmt.Errorf("put blob: %w", evaluation.ErrBlobType)
	}
	blob.SHA256, blob.Size = hex.EncodeToString(h.Sum(nil)), n
	final := s.Path(blob.SHA256)
	if _, err := os.Stat(final); err == nil {
		return blob, nil // the same content is stored already
	}
	if err := tmp.Chmod(0o440); err != nil {
		return blob, fmt.Errorf("put blob: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return blob, fmt.Errorf("put blob: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return blob, fmt.Errorf("put blob: %w", err)
	}
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return blob, fmt.Errorf("put blob: %w", err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return blob, fmt.Errorf("put blob: %w", err)
	}
	tmp = nil
	// The rename and any new folders are durable only once their parent
	// folders are synced.
	for _, d := range []string{dir, filepath.Dir(dir), s.root} {
		if err := syncDir(d); err != nil {
			return blob, fmt.Errorf("put blob: %w", err)
		}
	}
	blob.Created = true
	return blob, nil
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Open returns a stored blob for reading.
func (s *Store) Open(ctx context.Context, sha string) (io.ReadSeekCloser, error) {
	p := s.Path(sha)
	if p == "" {
		return nil, fmt.Errorf("open blob %q: %w", sha, evaluation.ErrNotFound)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("open blob %s: %w", sha, err)
	}
	return f, nil
}

// Has reports whether the blob is stored.
func (s *Store) Has(sha string) bool {
	p := s.Path(sha)
	if p == "" {
		return false
	}
	_, err := os.Stat(p)
	return err == nil
}

// ctxReader stops reading when the context ends, so that an abandoned
// upload stops being written.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
