package evaluation

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// tokenTouchInterval limits how often a token's last use is written.
const tokenTouchInterval = time.Minute

// IssueToken checks a username and password and returns a new API token for
// that user; the secret is returned only here.
func (s *AccountService) IssueToken(ctx context.Context, username, password, name string, meta LoginMeta) (string, *APIToken, error) {
	if err := validateTokenName(&name); err != nil {
		return "", nil, err
	}
	u, err := s.Authenticate(ctx, username, password)
	if err != nil {
		return "", nil, err
	}
	return s.createToken(ctx, u.Actor(), name, meta)
}

// CreateToken returns a new API token for the signed-in actor.
func (s *AccountService) CreateToken(ctx context.Context, actor Actor, name string, meta LoginMeta) (string, *APIToken, error) {
	if err := validateTokenName(&name); err != nil {
		return "", nil, err
	}
	return s.createToken(ctx, actor, name, meta)
}

func validateTokenName(name *string) error {
	*name = strings.TrimSpace(*name)
	if *name == "" {
		*name = "api"
	}
	if utf8.RuneCountInString(*name) > 64 {
		return FieldErrors{"name": "error.too_long"}.Err()
	}
	return nil
}

func (s *AccountService) createToken(ctx context.Context, actor Actor, name string, meta LoginMeta) (string, *APIToken, error) {
	secret, hash, prefix, err := newTokenSecret()
	if err != nil {
		return "", nil, err
	}
	now := s.now()
	t := &APIToken{UserID: actor.UserID, Name: name, Prefix: prefix, CreatedAt: now, ExpiresAt: now.Add(TokenLifetime)}
	err = s.inTx(ctx, func(tx accountTx) error {
		if err := tx.CreateToken(ctx, t, hash); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "token.create", ObjectType: "token", ObjectID: idString(t.ID),
			AgencyID: actor.AgencyID, Details: map[string]any{"name": name, "prefix": prefix, "ip": meta.IP, "channel": meta.Channel}})
	})
	if err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// AuthenticateToken returns the user a bearer token belongs to, and the
// token. Revoked, expired, unknown tokens and tokens of disabled accounts
// all get ErrBadToken.
func (s *AccountService) AuthenticateToken(ctx context.Context, secret string) (*User, *APIToken, error) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		return nil, nil, ErrBadToken
	}
	t, err := s.store.TokenByHash(ctx, HashToken(secret))
	if ErrorCode(err) == NotFound {
		return nil, nil, ErrBadToken
	}
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	if !t.Active(now) {
		return nil, nil, ErrBadToken
	}
	u, err := s.store.User(ctx, t.UserID)
	if err != nil {
		return nil, nil, err
	}
	if !u.CanSignIn() {
		return nil, nil, ErrBadToken
	}
	if now.Sub(t.LastUsedAt) > tokenTouchInterval {
		if err := s.inTx(ctx, func(tx accountTx) error { return tx.TouchToken(ctx, t.ID, now) }); err != nil {
			return nil, nil, err
		}
		t.LastUsedAt = now
	}
	return u, t, nil
}

// Tokens lists the actor's own tokens, newest first.
func (s *AccountService) Tokens(ctx context.Context, actor Actor) ([]*APIToken, error) {
	return s.store.Tokens(ctx, actor.UserID)
}

// UserTokens lists another user's tokens, for an admin.
func (s *AccountService) UserTokens(ctx context.Context, actor Actor, userID int64) ([]*APIToken, error) {
	if !actor.IsAdmin() && actor.UserID != userID {
		return nil, ErrNotFound
	}
	return s.store.Tokens(ctx, userID)
}

// RevokeToken ends a token. Users revoke their own; admins revoke anyone's.
// Revoking twice is not an error.
func (s *AccountService) RevokeToken(ctx context.Context, actor Actor, id int64) error {
	return s.inTx(ctx, func(tx accountTx) error {
		t, err := tx.Token(ctx, id)
		if err != nil {
			return err
		}
		if t.UserID != actor.UserID && !actor.IsAdmin() {
			return ErrNotFound
		}
		if !t.RevokedAt.IsZero() {
			return nil
		}
		if err := tx.RevokeToken(ctx, id, s.now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "token.revoke", ObjectType: "token", ObjectID: idString(id),
			AgencyID: actor.AgencyID, Details: map[string]any{"user_id": t.UserID, "prefix": t.Prefix}})
	})
}
