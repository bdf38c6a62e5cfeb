package evaluation

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// AuditEntry is one line of the append-only audit log. Each entry's hash
// covers its canonical content and the previous entry's hash, so editing or
// removing any entry breaks the chain from that point on.
type AuditEntry struct {
	ID         int64  `json:"id"`
	At         string `json:"at"` // RFC 3339 UTC with nanoseconds, hashed as stored
	ActorID    int64  `json:"actor_id"`
	Actor      string `json:"actor"`
	Action     string `json:"action"`
	ObjectType string `json:"object_type"`
	ObjectID   string `json:"object_id"`
	AgencyID   int64  `json:"agency_id"`
	Details    string `json:"details"` // a JSON object, hashed as stored
	PrevHash   string `json:"prev_hash"`
	Hash       string `json:"hash"`
}

// AuditTimeFormat is the layout of AuditEntry.At.
const AuditTimeFormat = "2006-01-02T15:04:05.000000000Z"

// Time parses At.
func (e *AuditEntry) Time() time.Time {
	t, _ := time.Parse(AuditTimeFormat, e.At)
	return t
}

// ComputeHash returns the hash of the entry chained to prev. The canonical
// content is the JSON encoding of the fields below in this order, which
// encoding/json keeps stable; hash = hex(SHA-256(prev + "\n" + content)).
func (e *AuditEntry) ComputeHash(prev string) string {
	content, _ := json.Marshal(struct {
		ID         int64  `json:"id"`
		At         string `json:"at"`
		ActorID    int64  `json:"actor_id"`
		Actor      string `json:"actor"`
		Action     string `json:"action"`
		ObjectType string `json:"object_type"`
		ObjectID   string `json:"object_id"`
		AgencyID   int64  `json:"agency_id"`
		Details    string `json:"details"`
	}{e.ID, e.At, e.ActorID, e.Actor, e.Action, e.ObjectType, e.ObjectID, e.AgencyID, e.Details})
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write([]byte{'\n'})
	h.Write(content)
	return hex.EncodeToString(h.Sum(nil))
}

// AuditEvent is what a service records about a state change; the store adds
// the id, time and hashes.
type AuditEvent struct {
	At         time.Time // when; the store's clock when zero
	Actor      Actor
	Action     string
	ObjectType string
	ObjectID   string
	AgencyID   int64
	Details    map[string]any
}

// Entry returns the unhashed entry for the event at time at.
func (ev AuditEvent) Entry(at time.Time) (AuditEntry, error) {
	details := []byte("{}")
	if len(ev.Details) > 0 {
		var err error
		if details, err = json.Marshal(ev.Details); err != nil {
			return AuditEntry{}, fmt.Errorf("encode audit details: %w", err)
		}
	}
	return AuditEntry{
		At:         at.UTC().Format(AuditTimeFormat),
		ActorID:    ev.Actor.UserID,
		Actor:      ev.Actor.Username,
		Action:     ev.Action,
		ObjectType: ev.ObjectType,
		ObjectID:   ev.ObjectID,
		AgencyID:   ev.AgencyID,
		Details:    string(details),
	}, nil
}

// AuditHead is the id and hash of the newest entry, kept beside the log so
// that removing the newest entries is detected too.
type AuditHead struct {
	LastID   int64
	LastHash string
}

// AuditProblem describes the first place where the chain is broken.
type AuditProblem struct {
	EntryID int64
	Reason  string
}

func (p *AuditProblem) Error() string {
	return fmt.Sprintf("audit entry %d: %s", p.EntryID, p.Reason)
}

// AuditVerifier checks a chain entry by entry, in id order; Check returns the
// first problem it finds and Finish checks the end against the head.
type AuditVerifier struct {
	// Anchors maps entry ids to the hashes recorded for them outside the
	// database (see AuditAnchor); a chain rewritten or truncated since no
	// longer matches them, even if it is consistent in itself.
	Anchors map[int64]string

	prevID   int64
	prevHash string
	problem  *AuditProblem
	count    int64
}

// AuditAnchor is an entry's id and hash as `evalpanel audit verify` prints
// them for the newest entry. Recorded elsewhere (a ticket, a printout, an
// e-mail to the commission), it lets a later verify detect a log that was
// rewritten from that entry on, which the chain alone cannot: whoever can
// write the database can recompute every hash.
type AuditAnchor struct {
	ID   int64
	Hash string
}

// Check verifies the next entry.
func (v *AuditVerifier) Check(e *AuditEntry) *AuditProblem {
	if v.problem != nil {
		return v.problem
	}
	switch {
	case e.ID != v.prevID+1:
		v.problem = &AuditProblem{v.prevID + 1, "missing (the log jumps to entry " + fmt.Sprint(e.ID) + ")"}
	case e.PrevHash != v.prevHash:
		v.problem = &AuditProblem{e.ID, "previous hash does not match the entry before it"}
	case e.ComputeHash(v.prevHash) != e.Hash:
		v.problem = &AuditProblem{e.ID, "content does not match its hash (altered)"}
	case v.Anchors[e.ID] != "" && v.Anchors[e.ID] != e.Hash:
		v.problem = &AuditProblem{e.ID, "hash differs from the recorded anchor (the log was rewritten)"}
	}
	v.prevID, v.prevHash = e.ID, e.Hash
	v.count++
	return v.problem
}

// Finish checks that the log ends where the head says it does and returns
// the first problem, or nil when the chain is intact.
func (v *AuditVerifier) Finish(head AuditHead) *AuditProblem {
	if v.problem != nil {
		return v.problem
	}
	switch {
	case head.LastID > v.prevID:
		v.problem = &AuditProblem{v.prevID + 1, fmt.Sprintf("missing (the head names entry %d as the newest)", head.LastID)}
	case head.LastID < v.prevID:
		v.problem = &AuditProblem{head.LastID + 1, "not recorded in the head (appended outside evalpanel)"}
	case head.LastHash != v.prevHash:
		v.problem = &AuditProblem{v.prevID, "hash does not match the head"}
	}
	for id := range v.Anchors {
		if v.problem == nil && id > v.prevID {
			v.problem = &AuditProblem{id, "missing: the recorded anchor is no longer in the log"}
		}
	}
	return v.problem
}

// Count is the number of entries checked.
func (v *AuditVerifier) Count() int64 { return v.count }

// AuditObjectTypes lists the kinds of object audit entries are about.
var AuditObjectTypes = []string{"user", "agency", "expert", "token", "system", "rubric", "campaign", "project",
	"panel", "material", "institution_alias"}

// AuditFilter selects audit entries in a list, newest first.
type AuditFilter struct {
	Action     string
	ObjectType string
	// ObjectID, with ObjectType, is one object's trail.
	ObjectID string
	ActorID  int64
	AgencyID int64
	Page     Page
}
