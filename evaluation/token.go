package evaluation

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"
)

// APIToken is a bearer token for /api/v1. Only its SHA-256 is stored; the
// token itself is shown once, when it is created.
type APIToken struct {
	ID         int64     `json:"id"`
	UserID     int64     `json:"user_id"`
	Name       string    `json:"name"`
	Prefix     string    `json:"prefix"`
	CreatedAt  time.Time `json:"created_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	LastUsedAt time.Time `json:"last_used_at,omitzero"`
	RevokedAt  time.Time `json:"revoked_at,omitzero"`
}

// Active reports whether the token may be used at now.
func (t *APIToken) Active(now time.Time) bool {
	return t.RevokedAt.IsZero() && now.Before(t.ExpiresAt)
}

// TokenLifetime is how long a new API token is valid.
const TokenLifetime = 90 * 24 * time.Hour

// tokenPrefix marks evalpanel tokens so that secret scanners can find leaks.
const tokenPrefix = "ep_"

// newTokenSecret returns a fresh random token, its stored hash and the
// prefix shown in lists.
func newTokenSecret() (secret, hash, prefix string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", "", err
	}
	secret = tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, HashToken(secret), secret[:len(tokenPrefix)+6], nil
}

// HashToken returns the stored form of a bearer token. Tokens carry 256 bits
// of randomness, so a plain SHA-256 is enough: no salt or stretching needed.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(secret)))
	return hex.EncodeToString(sum[:])
}
