package evaluation

import (
	"context"
	"fmt"
	"strconv"
)

// LoginMeta describes where a login comes from, for the audit log.
type LoginMeta struct {
	IP      string
	Channel string // "web" or "api"
}

// Authenticate checks a username and password and returns the user. Unknown
// users, wrong passwords and disabled accounts all get ErrBadLogin, after
// the same amount of hashing work.
func (s *AccountService) Authenticate(ctx context.Context, username, password string) (*User, error) {
	u, err := s.store.UserByUsername(ctx, NormalizeUsername(username))
	if ErrorCode(err) == NotFound {
		_, _ = s.hasher.Verify(s.dummyHash, password)
		return nil, ErrBadLogin
	}
	if err != nil {
		return nil, err
	}
	ok, err := s.hasher.Verify(u.PasswordHash, password)
	if err != nil {
		return nil, fmt.Errorf("verify password of user %d: %w", u.ID, err)
	}
	if !ok || !u.CanSignIn() {
		return nil, ErrBadLogin
	}
	return u, nil
}

// Login authenticates a user for a session and records the login.
func (s *AccountService) Login(ctx context.Context, username, password string, meta LoginMeta) (*User, error) {
	u, err := s.Authenticate(ctx, username, password)
	if err != nil {
		return nil, err
	}
	now := s.now()
	err = s.inTx(ctx, func(tx accountTx) error {
		if err := tx.SetLastLogin(ctx, u.ID, now); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: u.Actor(), Action: "user.login", ObjectType: "user",
			ObjectID: idString(u.ID), AgencyID: u.AgencyID, Details: map[string]any{"ip": meta.IP, "channel": meta.Channel}})
	})
	if err != nil {
		return nil, err
	}
	u.LastLoginAt = now
	return u, nil
}

// Logout records the end of a session.
func (s *AccountService) Logout(ctx context.Context, actor Actor, meta LoginMeta) error {
	return s.inTx(ctx, func(tx accountTx) error {
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "user.logout", ObjectType: "user",
			ObjectID: idString(actor.UserID), AgencyID: actor.AgencyID, Details: map[string]any{"ip": meta.IP, "channel": meta.Channel}})
	})
}

// User returns a user. Admins see everyone; others only themselves.
func (s *AccountService) User(ctx context.Context, actor Actor, id int64) (*User, error) {
	if !actor.IsAdmin() && actor.UserID != id {
		return nil, ErrNotFound
	}
	return s.store.User(ctx, id)
}

// Users lists users for an admin.
func (s *AccountService) Users(ctx context.Context, actor Actor, f UserFilter) ([]*User, int, error) {
	if !actor.IsAdmin() {
		return nil, 0, ErrForbidden
	}
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	f.Page = f.Page.Normalize()
	return s.store.Users(ctx, f)
}

// CreateUser adds an account. Only admins create accounts.
func (s *AccountService) CreateUser(ctx context.Context, actor Actor, in NewUser) (*User, error) {
	if !actor.IsAdmin() {
		return nil, ErrForbidden
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	hash, err := s.hasher.Hash(in.Password)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	now := s.now()
	u := &User{Username: in.Username, Name: in.Name, Email: in.Email, Role: in.Role, ExpertID: in.ExpertID,
		Language: in.Language, PasswordHash: hash, CreatedAt: now, UpdatedAt: now}
	err = s.inTx(ctx, func(tx accountTx) error {
		if err := s.resolveAgency(ctx, tx, u, in.AgencyCode); err != nil {
			return err
		}
		if u.ExpertID != 0 {
			if _, err := tx.Expert(ctx, u.ExpertID); err != nil {
				return fieldNotFound(err, "expert_id", "error.expert_unknown")
			}
			switch _, err := tx.UserByExpert(ctx, u.ExpertID); ErrorCode(err) {
			case "":
				return FieldErrors{"expert_id": "error.expert_has_account"}.Err()
			case NotFound:
			default:
				return err
			}
		}
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "user.create", ObjectType: "user", ObjectID: idString(u.ID),
			AgencyID: u.AgencyID, Details: map[string]any{"username": u.Username, "role": u.Role, "agency": u.AgencyCode}})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

func (s *AccountService) resolveAgency(ctx context.Context, tx accountTx, u *User, code string) error {
	u.AgencyID, u.AgencyCode = 0, ""
	if code == "" {
		return nil
	}
	a, err := tx.AgencyByCode(ctx, code)
	if err != nil {
		return fieldNotFound(err, "agency", "error.agency_unknown")
	}
	if a.Disabled {
		return FieldErrors{"agency": "error.agency_disabled"}.Err()
	}
	u.AgencyID, u.AgencyCode = a.ID, a.Code
	return nil
}

// UpdateUser changes a user's name, role, agency, language or disabled flag.
// Admins change anyone except that they cannot disable themselves or drop
// their own admin role (the system must keep an administrator).
func (s *AccountService) UpdateUser(ctx context.Context, actor Actor, id int64, up UserUpdate) (*User, error) {
	if !actor.IsAdmin() {
		return nil, ErrForbidden
	}
	if err := up.Validate(); err != nil {
		return nil, err
	}
	var u *User
	err := s.inTx(ctx, func(tx accountTx) error {
		var err error
		if u, err = tx.User(ctx, id); err != nil {
			return err
		}
		before := *u
		changed := map[string]any{}
		if up.Name != nil && *up.Name != u.Name {
			u.Name, changed["name"] = *up.Name, *up.Name
		}
		if up.Email != nil && *up.Email != u.Email {
			u.Email, changed["email"] = *up.Email, *up.Email
		}
		if up.Language != nil && *up.Language != u.Language {
			u.Language, changed["language"] = *up.Language, *up.Language
		}
		if up.Role != nil && *up.Role != u.Role {
			if id == actor.UserID {
				return FieldErrors{"role": "error.cannot_demote_self"}.Err()
			}
			u.Role, changed["role"] = *up.Role, *up.Role
		}
		code := u.AgencyCode
		switch {
		case up.AgencyCode != nil:
			code = *up.AgencyCode
		case u.Role != RoleAgencyStaff:
			code = "" // leaving the staff role leaves the agency
		}
		if code != before.AgencyCode {
			if err := s.resolveAgency(ctx, tx, u, code); err != nil {
				return err
			}
			changed["agency"] = u.AgencyCode
		}
		switch {
		case u.Role == RoleAgencyStaff && u.AgencyID == 0:
			return FieldErrors{"agency": "error.agency_required"}.Err()
		case u.Role != RoleAgencyStaff && u.AgencyID != 0:
			return FieldErrors{"agency": "error.agency_not_allowed"}.Err()
		}
		if u.Role != RoleExpert && u.ExpertID != 0 {
			u.ExpertID, changed["expert_id"] = 0, nil
		}
		if up.Disabled != nil && *up.Disabled != u.Disabled {
			if id == actor.UserID && *up.Disabled {
				return FieldErrors{"disabled": "error.cannot_disable_self"}.Err()
			}
			u.Disabled, changed["disabled"] = *up.Disabled, *up.Disabled
		}
		if len(changed) == 0 {
			return nil
		}
		u.UpdatedAt = s.now()
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		action := "user.update"
		if _, ok := changed["disabled"]; ok && len(changed) == 1 {
			action = "user.enable"
			if u.Disabled {
				action = "user.disable"
			}
		}
		if u.Disabled && !before.Disabled {
			// Disabling ends the sessions and tokens, so that enabling
			// the account again does not revive them.
			revoked, err := s.endCredentials(ctx, tx, id)
			if err != nil {
				return err
			}
			changed["tokens_revoked"] = revoked
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: action, ObjectType: "user", ObjectID: idString(u.ID),
			AgencyID: u.AgencyID, Details: changed})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// SetLanguage remembers the interface language a user prefers.
func (s *AccountService) SetLanguage(ctx context.Context, actor Actor, lang Language) error {
	if !lang.Valid() {
		return FieldErrors{"language": "error.language_invalid"}.Err()
	}
	return s.inTx(ctx, func(tx accountTx) error {
		u, err := tx.User(ctx, actor.UserID)
		if err != nil {
			return err
		}
		if u.Language == lang {
			return nil
		}
		u.Language, u.UpdatedAt = lang, s.now()
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "user.language", ObjectType: "user", ObjectID: idString(u.ID),
			AgencyID: u.AgencyID, Details: map[string]any{"language": lang}})
	})
}

// ResetPassword sets a new password for a user; only admins may.
func (s *AccountService) ResetPassword(ctx context.Context, actor Actor, id int64, password string) error {
	if !actor.IsAdmin() {
		return ErrForbidden
	}
	return s.setPassword(ctx, actor, id, password, "user.password_reset")
}

// ChangePassword lets a user replace their own password after proving they
// know the current one.
func (s *AccountService) ChangePassword(ctx context.Context, actor Actor, current, password string) error {
	u, err := s.store.User(ctx, actor.UserID)
	if err != nil {
		return err
	}
	ok, err := s.hasher.Verify(u.PasswordHash, current)
	if err != nil {
		return fmt.Errorf("verify password of user %d: %w", u.ID, err)
	}
	if !ok {
		return FieldErrors{"current_password": "error.current_password_wrong"}.Err()
	}
	return s.setPassword(ctx, actor, actor.UserID, password, "user.password_change")
}

func (s *AccountService) setPassword(ctx context.Context, actor Actor, id int64, password, action string) error {
	if msg, args := PasswordProblem(password); msg != "" {
		return FieldErrors{"password": msg}.ErrWithArgs(map[string]map[string]any{"password": args})
	}
	hash, err := s.hasher.Hash(password)
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	return s.inTx(ctx, func(tx accountTx) error {
		u, err := tx.User(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.SetPasswordHash(ctx, id, hash, s.now()); err != nil {
			return err
		}
		revoked, err := s.endCredentials(ctx, tx, id)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: action, ObjectType: "user", ObjectID: idString(id), AgencyID: u.AgencyID,
			Details: map[string]any{"tokens_revoked": revoked}})
	})
}

// endCredentials ends what the user's old credentials opened: their
// sessions (by moving the credentials version on) and their API tokens. It
// returns how many tokens it revoked.
func (s *AccountService) endCredentials(ctx context.Context, tx accountTx, userID int64) (int, error) {
	if err := tx.ChangeCredentials(ctx, userID); err != nil {
		return 0, err
	}
	return tx.RevokeUserTokens(ctx, userID, s.now())
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }

// fieldNotFound turns a not-found error for a referenced object into a field
// error, and passes other errors through.
func fieldNotFound(err error, field, msg string) error {
	if ErrorCode(err) == NotFound {
		return FieldErrors{field: msg}.Err()
	}
	return err
}

// SessionUser returns the user a session belongs to, or ErrUnauthorized when
// the account is gone or can no longer sign in (disabled since).
func (s *AccountService) SessionUser(ctx context.Context, id int64) (*User, error) {
	u, err := s.store.User(ctx, id)
	if ErrorCode(err) == NotFound {
		return nil, ErrUnauthorized
	}
	if err != nil {
		return nil, err
	}
	if !u.CanSignIn() {
		return nil, ErrUnauthorized
	}
	return u, nil
}
