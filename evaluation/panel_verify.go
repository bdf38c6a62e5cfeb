package evaluation

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation/assign"
)

// Proving the panels (evaluation/README.md §2.5.3): a panel's members are
// what its draw or match record seated, changed only by the services, each
// change in the hash-chained audit log. VerifyPanels replays, per panel,
// the record and then the audited changes in log order, and compares the
// result with the members as stored, so that a row edited in the database
// (an expert swapped in, a declined member revived, the chair moved) or a
// draw record removed is found and named.

// PanelProblem is a difference between a campaign's panels as stored and
// as their records and the audit log say they are; PanelID or DrawID
// (or both) name where.
type PanelProblem struct {
	PanelID int64
	DrawID  int64
	Reason  string
}

func (p PanelProblem) String() string {
	switch {
	case p.PanelID != 0:
		return fmt.Sprintf("panel %d: %s", p.PanelID, p.Reason)
	case p.DrawID != 0:
		return fmt.Sprintf("draw record %d: %s", p.DrawID, p.Reason)
	}
	return p.Reason
}

// panelVerifyReader is what VerifyPanels reads.
type panelVerifyReader interface {
	DrawRecords(ctx context.Context, campaignID int64) ([]*DrawRecord, error)
	Panels(ctx context.Context, campaignID int64) ([]*Panel, error)
	ScanAudit(ctx context.Context, fn func(*AuditEntry) error) (AuditHead, error)
}

// seatState is a member of a panel as the records say: the fields of a
// panel_members row that make up the panel.
type seatState struct {
	expert int64
	seat   Seat
	status MemberStatus
	chair  bool
	rank   int
	source string
}

func (s *seatState) String() string {
	out := string(s.seat) + " " + string(s.status)
	if s.chair {
		out += " chair"
	}
	if s.rank > 0 {
		out += " rank " + strconv.Itoa(s.rank)
	}
	return out + " (" + s.source + ")"
}

func memberState(m *PanelMember) *seatState {
	return &seatState{expert: m.ExpertID, seat: m.Seat, status: m.Status, chair: m.Chair, rank: m.AlternateRank, source: m.Source}
}

// replayedPanel is a panel as its record and the audited changes make it.
type replayedPanel struct {
	id      int64
	state   PanelState
	members []*seatState // in the order they joined
	problem string       // the first event that could not be applied
}

func (rp *replayedPanel) member(expertID int64) *seatState {
	for _, m := range rp.members {
		if m.expert == expertID {
			return m
		}
	}
	return nil
}

// form seats the experts a draw or match chose, with createPanel's chair:
// the first technical member who is a strategic scientist or a domain
// expert (by the record's pool snapshot), else the first technical member.
func (rp *replayedPanel) form(source string, types map[int64]string, technical, finance, alternates, financeAlternates []int64) {
	rp.state = PanelForming
	chair := int64(0)
	for _, id := range technical {
		if t := types[id]; t == assign.StrategicScientist || t == assign.DomainExpert {
			chair = id
			break
		}
	}
	if chair == 0 && len(technical) > 0 {
		chair = technical[0]
	}
	for _, id := range technical {
		rp.members = append(rp.members, &seatState{expert: id, seat: SeatTechnical, status: MemberProposed, chair: id == chair, source: source})
	}
	for _, id := range finance {
		rp.members = append(rp.members, &seatState{expert: id, seat: SeatFinance, status: MemberProposed, source: source})
	}
	for i, id := range alternates {
		rp.members = append(rp.members, &seatState{expert: id, seat: SeatTechnical, status: MemberAlternate, rank: i + 1, source: source})
	}
	for i, id := range financeAlternates {
		rp.members = append(rp.members, &seatState{expert: id, seat: SeatFinance, status: MemberAlternate, rank: i + 1, source: source})
	}
}

// seatEvent is the details of the audit entries that change a panel's
// members. Entries written before an event carried a detail lack it; the
// replay then falls back as each case says.
type seatEvent struct {
	Draw      int64        `json:"draw"`
	Campaign  int64        `json:"campaign"`
	Experts   []int64      `json:"experts"`
	Member    int64        `json:"member"`
	Expert    int64        `json:"expert"`
	Alternate int64        `json:"alternate"`
	Added     int64        `json:"added"`
	Removed   int64        `json:"removed"`
	Seat      Seat         `json:"seat"`
	Status    MemberStatus `json:"status"`
	Chair     int64        `json:"chair"`
	Scoring   bool         `json:"scoring"`

	entry  *AuditEntry
	stored *Panel // the panel as stored, to resolve old entries' member ids
}

// seatActions are the audit actions that change a panel's members or
// state; the replay knows each.
var seatActions = map[string]bool{"panel.draw": true, "panel.match": true, "panel.invite": true, "invitation.accept": true,
	"invitation.decline": true, "panel.confirm": true, "panel.chair": true, "panel.fill": true, "panel.replace": true,
	"panel.withdraw": true}

// expertOf is the expert an entry's member is: its "expert" detail, or,
// for an entry from before it had one, the expert of the member row as
// stored (which only an edit of that row's expert could make wrong, and
// the comparison then finds the row).
func (ev *seatEvent) expertOf() int64 {
	if ev.Expert != 0 {
		return ev.Expert
	}
	if ev.stored != nil {
		if m, ok := ev.stored.Member(ev.Member); ok {
			return m.ExpertID
		}
	}
	return 0
}

// apply replays one audited change; it returns why it cannot, "" when it
// could.
func (rp *replayedPanel) apply(action string, ev *seatEvent) string {
	on := func(id int64) (*seatState, string) {
		if m := rp.member(id); m != nil {
			return m, ""
		}
		return nil, fmt.Sprintf("audit entry %d (%s) names expert %d, whom the records never put on the panel", ev.entry.ID, action, id)
	}
	// callUp invites the alternate who took a freed seat (callAlternate).
	callUp := func(id int64, chair bool) string {
		if id == 0 {
			return ""
		}
		alt, why := on(id)
		if why != "" {
			return why
		}
		alt.status, alt.rank, alt.chair = MemberInvited, 0, chair
		return ""
	}
	switch action {
	case "panel.invite":
		for _, id := range ev.Experts {
			m, why := on(id)
			if why != "" {
				return why
			}
			m.status = MemberInvited
		}
		rp.state = PanelInviting
	case "panel.confirm":
		rp.state = PanelConfirmed
	case "invitation.accept":
		m, why := on(ev.expertOf())
		if why != "" {
			return why
		}
		m.status = MemberAccepted
	case "invitation.decline":
		m, why := on(ev.expertOf())
		if why != "" {
			return why
		}
		wasChair := m.chair
		m.status, m.chair = MemberDeclined, false
		return callUp(ev.Alternate, wasChair && m.seat == SeatTechnical)
	case "panel.withdraw":
		m, why := on(ev.Expert)
		if why != "" {
			return why
		}
		m.status, m.chair = MemberDeclined, false
		if ev.Chair != 0 {
			next, why := on(ev.Chair)
			if why != "" {
				return why
			}
			next.chair = true
		}
		return callUp(ev.Alternate, false)
	case "panel.chair":
		m, why := on(ev.Expert)
		if why != "" {
			return why
		}
		for _, o := range rp.members {
			o.chair = false
		}
		m.chair = true
	case "panel.fill", "panel.replace":
		return rp.changeSeat(action, ev, on)
	}
	return ""
}

// changeSeat replays PanelService.changeSeat: the replaced member removed,
// the newcomer seated (in the row they had, if they were on the panel
// before), the chair as it passed.
func (rp *replayedPanel) changeSeat(action string, ev *seatEvent, on func(int64) (*seatState, string)) string {
	chair := false
	if action == "panel.replace" {
		m, why := on(ev.Removed)
		if why != "" {
			return why
		}
		chair = m.chair
		m.status, m.chair = MemberRemoved, false
	} else if ev.Seat == SeatTechnical {
		chair = !slices.ContainsFunc(rp.members, func(m *seatState) bool { return m.chair && m.seat == SeatTechnical && m.status.Seated() })
	}
	status := ev.Status
	if status == "" {
		// Entries from before the status was recorded: invited when the
		// panel was inviting or the campaign scoring (changeSeat).
		status = MemberProposed
		if rp.state == PanelInviting || ev.Scoring {
			status = MemberInvited
		}
	}
	if ev.Chair != 0 {
		// While scoring, the chair passed to a member who accepted.
		next, why := on(ev.Chair)
		if why != "" {
			return why
		}
		next.chair, chair = true, false
	}
	if ev.Scoring && rp.state == PanelConfirmed {
		rp.state = PanelInviting
	}
	if m := rp.member(ev.Added); m != nil {
		m.seat, m.status, m.chair, m.rank = ev.Seat, status, chair, 0
		return ""
	}
	rp.members = append(rp.members, &seatState{expert: ev.Added, seat: ev.Seat, status: status, chair: chair, source: "manual"})
	return ""
}

// VerifyPanels proves a campaign's panels: each panel's members, as
// stored, must be what its draw or match record seated, changed by the
// audited changes since, in order. It reports, per panel, the first
// difference; and every draw record the audit log names that is missing,
// every record it does not name, and every panel no record formed. The
// audit log is trusted only as far as its chain holds: a broken chain is
// reported too (audit verify says more). It returns the panels checked.
func VerifyPanels(ctx context.Context, r panelVerifyReader, campaignID int64) (int, []PanelProblem, error) {
	records, err := r.DrawRecords(ctx, campaignID)
	if err != nil {
		return 0, nil, err
	}
	panels, err := r.Panels(ctx, campaignID)
	if err != nil {
		return 0, nil, err
	}
	var problems []PanelProblem
	stored := map[int64]*Panel{}
	byProject := map[int64]int64{}
	for _, p := range panels {
		stored[p.ID] = p
		for _, id := range p.ProjectIDs {
			byProject[id] = p.ID
		}
	}

	// The panels as their records formed them.
	replay := map[int64]*replayedPanel{}
	formedBy := map[int64]int64{}
	form := func(rec *DrawRecord, panelID int64, types map[int64]string, t, f, a, fa []int64) {
		if _, ok := stored[panelID]; !ok {
			problems = append(problems, PanelProblem{PanelID: panelID, DrawID: rec.ID,
				Reason: fmt.Sprintf("formed by draw record %d, is missing", rec.ID)})
			return
		}
		if other, ok := formedBy[panelID]; ok {
			problems = append(problems, PanelProblem{PanelID: panelID, Reason: fmt.Sprintf("formed by both draw records %d and %d", other, rec.ID)})
			return
		}
		formedBy[panelID] = rec.ID
		rp := &replayedPanel{id: panelID}
		rp.form(rec.Kind, types, t, f, a, fa)
		replay[panelID] = rp
	}
	inRecords := map[int64]bool{}
	for _, rec := range records {
		inRecords[rec.ID] = true
		if why := formPanels(rec, byProject, form); why != "" {
			problems = append(problems, PanelProblem{DrawID: rec.ID, Reason: why})
		}
	}

	// The audited changes, in log order, checking the chain on the way.
	v := AuditVerifier{}
	audited := map[int64]int64{} // draw record id → audit entry id
	head, err := r.ScanAudit(ctx, func(e *AuditEntry) error {
		v.Check(e)
		if !seatActions[e.Action] {
			return nil
		}
		ev := &seatEvent{entry: e}
		if err := json.Unmarshal([]byte(e.Details), ev); err != nil {
			return nil // not an entry of ours: the chain check covers it
		}
		id, _ := strconv.ParseInt(e.ObjectID, 10, 64)
		switch {
		case e.Action == "panel.match" && e.ObjectType == "campaign" && id == campaignID:
			audited[ev.Draw] = e.ID
			return nil
		case e.ObjectType != "panel":
			return nil
		case e.Action == "panel.draw":
			if _, ours := stored[id]; ours || ev.Campaign == campaignID || inRecords[ev.Draw] {
				audited[ev.Draw] = e.ID
			}
			return nil
		}
		rp := replay[id]
		if rp == nil || rp.problem != "" {
			return nil
		}
		ev.stored = stored[id]
		rp.problem = rp.apply(e.Action, ev)
		return nil
	})
	if err != nil {
		return 0, nil, err
	}
	if problem := v.Finish(head); problem != nil {
		problems = append(problems, PanelProblem{Reason: fmt.Sprintf("the audit log is broken at entry %d (%s): the changes it records "+
			"cannot be trusted; see audit verify", problem.EntryID, problem.Reason)})
	}
	for _, rec := range records {
		if _, ok := audited[rec.ID]; !ok {
			problems = append(problems, PanelProblem{DrawID: rec.ID, Reason: "no audit entry records it (written outside evalpanel?)"})
		}
	}
	var missing []int64
	for id := range audited {
		if !inRecords[id] {
			missing = append(missing, id)
		}
	}
	slices.Sort(missing)
	for _, id := range missing {
		problems = append(problems, PanelProblem{DrawID: id, Reason: fmt.Sprintf("missing: audit entry %d records it, the draws table "+
			"no longer holds it (deleted)", audited[id])})
	}

	for _, p := range panels {
		rp := replay[p.ID]
		switch {
		case rp == nil:
			problems = append(problems, PanelProblem{PanelID: p.ID, Reason: "no draw or match record formed it (a record was deleted?)"})
		case rp.problem != "":
			problems = append(problems, PanelProblem{PanelID: p.ID, Reason: rp.problem})
		default:
			if why := comparePanel(rp, p); why != "" {
				problems = append(problems, PanelProblem{PanelID: p.ID, Reason: why})
			}
		}
	}
	return len(panels), problems, nil
}

// comparePanel names the first difference between a panel's members as
// replayed and as stored, "" when there is none.
func comparePanel(rp *replayedPanel, p *Panel) string {
	for _, want := range rp.members {
		m, ok := p.MemberOf(want.expert)
		if !ok {
			for _, other := range p.Members {
				if rp.member(other.ExpertID) == nil {
					return fmt.Sprintf("expert %d: the records say %s, the table holds expert %d in their place, %s",
						want.expert, want, other.ExpertID, memberState(other))
				}
			}
			return fmt.Sprintf("expert %d: the records say %s, the table holds no row", want.expert, want)
		}
		if got := memberState(m); *got != *want {
			return fmt.Sprintf("expert %d: the records say %s, the table holds %s", want.expert, want, got)
		}
	}
	for _, m := range p.Members {
		if rp.member(m.ExpertID) == nil {
			return fmt.Sprintf("expert %d: the records never put them on the panel, the table holds %s", m.ExpertID, memberState(m))
		}
	}
	return ""
}

// formPanels calls form for each panel a draw or match record formed, with
// the experts it seated; it returns why the record cannot be read.
func formPanels(rec *DrawRecord, byProject map[int64]int64,
	form func(rec *DrawRecord, panelID int64, types map[int64]string, t, f, a, fa []int64)) string {
	switch rec.Kind {
	case "draw":
		var in drawRecordInput
		var res assign.DrawResult
		var pool []assign.Expert
		if err := json.Unmarshal([]byte(rec.Input), &in); err != nil {
			return "input is not readable: " + err.Error()
		}
		if err := json.Unmarshal(in.Pool, &pool); err != nil {
			return "pool snapshot is not readable: " + err.Error()
		}
		if err := json.Unmarshal([]byte(rec.Result), &res); err != nil {
			return "result is not readable: " + err.Error()
		}
		form(rec, rec.PanelID, poolTypes(pool), res.Technical, res.Finance, res.Alternates, res.FinanceAlternates)
	case "match":
		var in matchRecordInput
		var res assign.MatchResult
		var pool []assign.Expert
		if err := json.Unmarshal([]byte(rec.Input), &in); err != nil {
			return "input is not readable: " + err.Error()
		}
		if err := json.Unmarshal(in.Pool, &pool); err != nil {
			return "pool snapshot is not readable: " + err.Error()
		}
		if err := json.Unmarshal([]byte(rec.Result), &res); err != nil {
			return "result is not readable: " + err.Error()
		}
		if len(res.Assignments) > len(in.Projects) {
			return "result has more assignments than projects"
		}
		// The alternates are not in the result: MatchCampaign ranked them
		// from the record's own input, and so does the replay.
		mi := matchInput(in, pool)
		types := poolTypes(pool)
		var lost []string
		alternates, financeAlternates := matchAlternates(in, mi, res.Assignments)
		for i, a := range res.Assignments {
			panelID, ok := byProject[a.ProjectID]
			if !ok {
				lost = append(lost, strconv.FormatInt(a.ProjectID, 10))
				continue
			}
			form(rec, panelID, types, a.Technical, a.Finance, alternates[i], financeAlternates[i])
		}
		if len(lost) > 0 {
			return "matched project " + strings.Join(lost, ", ") + ", which is on no panel (a panel was deleted?)"
		}
	default:
		return fmt.Sprintf("unknown kind %q", rec.Kind)
	}
	return ""
}

func poolTypes(pool []assign.Expert) map[int64]string {
	out := make(map[int64]string, len(pool))
	for _, e := range pool {
		out[e.ID] = e.Type
	}
	return out
}
