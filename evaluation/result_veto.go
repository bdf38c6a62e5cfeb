package evaluation

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/evalpanel/evalpanel/evaluation/aggregate"
	"github.com/evalpanel/evalpanel/rubrics"
)

// VetoConfirmation is a veto item (一票否决项) that the agency's staff
// confirmed for a project, with their reason: the veto holds whatever the
// sheets say (DESIGN.md §3). Track names the rubric whose item it is, the
// technical rubric of the project's class or the finance rubric, which
// may list the same code. A confirmation is kept as recorded and never
// withdrawn.
type VetoConfirmation struct {
	ProjectID       int64           `json:"project_id"`
	CampaignID      int64           `json:"campaign_id"`
	AgencyID        int64           `json:"-"`
	Track           aggregate.Track `json:"track"`
	Code            string          `json:"code"`
	Reason          string          `json:"reason"`
	ConfirmedBy     int64           `json:"confirmed_by"`
	ConfirmedByName string          `json:"confirmed_by_name"`
	ConfirmedAt     time.Time       `json:"confirmed_at"`
}

// VetoTracks are the tracks a veto item is confirmed on.
var VetoTracks = []aggregate.Track{aggregate.TrackTechnical, aggregate.TrackFinance}

// VetoesOpen reports whether the campaign takes veto confirmations: while
// experts score and while conclusions are recorded.
func VetoesOpen(c *Campaign) bool {
	return c.State == CampaignScoring || c.State == CampaignConcluding
}

// vetoTx is what confirming a veto does in a transaction: the project, its
// campaign and the pinned rubrics, the conclusions recorded (none may be)
// and the confirmations so far. It is its own transaction, beside the
// results service's resultTx.
type vetoTx interface {
	campaignGetter
	projectGetter
	rubricReader
	// Conclusions lists a project's recorded conclusions, oldest first.
	Conclusions(ctx context.Context, projectID int64) ([]*ConclusionRecord, error)
	vetoReader
	vetoWriter
	auditor
}

func (s *ResultService) inVetoTx(ctx context.Context, fn func(tx vetoTx) error) error {
	return s.tx.InTx(ctx, func(tx Tx) error { return fn(tx) })
}

// ConfirmVeto records the agency's confirmation of a veto item on a
// project, with the reason; the veto then holds, and the project's
// proposal is a fail. Only the campaign's agency staff may, while it
// scores or concludes, and only before a conclusion is recorded for the
// project (that conclusion was recorded on the result without the veto).
// The item is one of the rubric the project is scored on: the technical
// rubric of its class, or the finance rubric; track says which, and may be
// left empty when only one of them lists the code. An item is confirmed
// once.
func (s *ResultService) ConfirmVeto(ctx context.Context, actor Actor, projectID int64, track aggregate.Track, code, reason string) (*VetoConfirmation, error) {
	code, reason = strings.TrimSpace(code), strings.TrimSpace(reason)
	f := FieldErrors{}
	if track != "" && !slices.Contains(VetoTracks, track) {
		f.Add("track", "error.veto_track")
	}
	if code == "" {
		f.Add("code", "error.required")
	}
	reasonProblem(f, "reason", reason)
	if err := f.Err(); err != nil {
		return nil, err
	}
	var out *VetoConfirmation
	err := s.inVetoTx(ctx, func(tx vetoTx) error {
		p, c, err := managedProject(ctx, tx, actor, projectID)
		if err != nil {
			return err
		}
		if !VetoesOpen(c) {
			return Errorf(Conflict, "error.veto_closed")
		}
		if track, err = vetoTrack(ctx, tx, c, p.Class, track, code); err != nil {
			return err
		}
		concluded, err := tx.Conclusions(ctx, projectID)
		if err != nil {
			return err
		}
		if len(concluded) > 0 {
			return Errorf(Conflict, "error.veto_after_conclusion")
		}
		confirmed, err := tx.VetoConfirmations(ctx, projectID)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(confirmed, func(v *VetoConfirmation) bool { return v.Track == track && v.Code == code }) {
			return Errorf(Conflict, "error.veto_confirmed_already")
		}
		v := &VetoConfirmation{ProjectID: projectID, CampaignID: c.ID, AgencyID: p.AgencyID, Track: track, Code: code,
			Reason: reason, ConfirmedBy: actor.UserID, ConfirmedByName: actor.DisplayName(), ConfirmedAt: s.now()}
		if err := tx.AddVetoConfirmation(ctx, v); err != nil {
			return err
		}
		out = v
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "project.confirm_veto", ObjectType: "project",
			ObjectID: idString(projectID), AgencyID: p.AgencyID, Details: map[string]any{"track": string(track), "code": code,
				"reason": reason}})
	})
	return out, err
}

// vetoTrack finds the rubric a veto item of the project is confirmed on:
// the track asked for, when its rubric lists the code; without one, the
// one rubric of the two that lists it.
func vetoTrack(ctx context.Context, r rubricReader, c *Campaign, class ProjectClass, track aggregate.Track, code string) (aggregate.Track, error) {
	var lists []aggregate.Track
	for _, t := range VetoTracks {
		key := string(class)
		if t == aggregate.TrackFinance {
			key = "finance"
		}
		rb, err := pinnedRubric(ctx, r, c, key)
		if err != nil {
			return "", err
		}
		if rb != nil && hasVeto(rb, code) {
			lists = append(lists, t)
		}
	}
	switch {
	case track != "" && slices.Contains(lists, track):
		return track, nil
	case track != "" || len(lists) == 0:
		return "", FieldErrors{"code": "error.veto_unknown"}.Err()
	case len(lists) > 1:
		return "", FieldErrors{"track": "error.veto_track_required"}.Err()
	}
	return lists[0], nil
}

func hasVeto(r *rubrics.Rubric, code string) bool {
	_, ok := r.Veto(code)
	return ok
}

// confirmationsOf are a project's veto confirmations as the aggregation
// reads them.
func confirmationsOf(list []*VetoConfirmation) []aggregate.Confirmation {
	var out []aggregate.Confirmation
	for _, v := range list {
		out = append(out, aggregate.Confirmation{Track: v.Track, Veto: v.Code, Reason: v.Reason})
	}
	return out
}
