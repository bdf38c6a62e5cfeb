package demo

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rubrics"
)

// workspace puts the scoring campaign's experts to work, as they would in
// their workspace, so that every state shows: panel by panel, in turn,
// everyone has submitted; some have submitted, one has a half-finished
// draft and the others have not started; one submitted sheet was reopened
// by the agency and another member is drafting; nobody has started. The
// scores are made up but plausible: each project has a quality, each
// expert a leaning, and every comment the rubric asks for is written.
func (s *seeder) workspace(staff evaluation.Actor, c *evaluation.Campaign) error {
	panels, err := s.svc.Panels.Panels(s.ctx, staff, c.ID)
	if err != nil {
		return err
	}
	pledged := map[int64]bool{}
	for i, p := range panels {
		var members []*evaluation.PanelMember
		for _, seat := range []evaluation.Seat{evaluation.SeatTechnical, evaluation.SeatFinance} {
			for _, m := range p.Seated(seat) {
				if m.Status == evaluation.MemberAccepted {
					members = append(members, m)
				}
			}
		}
		for _, projectID := range p.ProjectIDs {
			for j, m := range members {
				var work string // "", "draft", "submit" or "reopen"
				switch i % 4 {
				case 0:
					work = "submit"
				case 1:
					work = map[int]string{0: "submit", 1: "draft", 2: "submit"}[j]
				case 2:
					work = map[int]string{0: "reopen", 1: "draft", 2: "submit", 3: "submit"}[j]
				}
				if work == "" {
					continue
				}
				if err := s.score(staff, c, pledged, m, projectID, work); err != nil {
					return err
				}
			}
		}
	}
	if err := s.declareConflict(c, panels); err != nil {
		return err
	}
	// One member of the campaign has their deadline extended.
	if len(panels) > 1 {
		p := panels[1]
		for _, m := range p.Seated(evaluation.SeatTechnical) {
			if m.Status == evaluation.MemberAccepted && !m.Chair {
				due := s.today.AddDate(0, 0, 17).Format("2006-01-02")
				return s.svc.Sheets.ExtendDeadline(s.ctx, staff, p.ID, m.ID, due, "专家出国参加学术会议，经申请延长一周")
			}
		}
	}
	return nil
}

// declareConflict has a member of the last panel nobody has started on (a
// technical member, not the chair, and none of the showcase accounts)
// sign the pledge and declare a conflict of interest with the panel's
// first project: they leave it, the next alternate is invited, and the
// agency's staff are told.
func (s *seeder) declareConflict(c *evaluation.Campaign, panels []*evaluation.Panel) error {
	shown := map[string]bool{}
	for _, l := range showcase {
		shown[l.Name] = true
	}
	for i := len(panels) - 1; i >= 0; i-- {
		p := panels[i]
		if i%4 != 3 {
			continue
		}
		for _, m := range p.Seated(evaluation.SeatTechnical) {
			if m.Status != evaluation.MemberAccepted || m.Chair || shown[m.Expert.Name] {
				continue
			}
			expert, ok := s.experts[m.ExpertID]
			if !ok {
				continue
			}
			if err := s.svc.Sheets.SignPledge(s.ctx, expert, c.ID, evaluation.PledgeVersion); err != nil {
				return fmt.Errorf("%s signs the pledge: %w", m.Expert.Name, err)
			}
			return s.svc.Sheets.DeclareConflict(s.ctx, expert, p.ProjectIDs[0],
				"本人所在课题组与该项目承担单位于2024年联合申报过国家重点研发计划项目，存在合作关系，申请回避。")
		}
	}
	return nil
}

// score has one member sign the campaign's pledge (once), declare no
// conflict with the project, and then save a half-finished draft, submit,
// or submit and have the agency reopen the sheet.
func (s *seeder) score(staff evaluation.Actor, c *evaluation.Campaign, pledged map[int64]bool, m *evaluation.PanelMember,
	projectID int64, work string) error {
	expert, view, err := s.takeSeat(c, pledged, m, projectID)
	if err != nil {
		return err
	}
	content := demoSheet(view.Rubric.Content, projectID, m.ExpertID, work != "draft")
	if m.Seat == evaluation.SeatFinance && work != "draft" {
		pass := projectID%5 != 3 // one project in five fails its finance review
		content.FinancePass = &pass
	}
	sh, err := s.svc.Sheets.SaveSheet(s.ctx, expert, projectID, view.Sheet.Version, content, work != "draft")
	if err != nil {
		return fmt.Errorf("%s scores project %d: %w", m.Expert.Name, projectID, err)
	}
	if work == "reopen" {
		_, err = s.svc.Sheets.ReopenSheet(s.ctx, staff, sh.ID, "专家组评分差异较大，请复核各项评分并补充评分依据。")
	}
	return err
}

// takeSeat has a member sign the campaign's pledge (once) and declare no
// conflict with the project, and returns their account and their sheet.
func (s *seeder) takeSeat(c *evaluation.Campaign, pledged map[int64]bool, m *evaluation.PanelMember, projectID int64) (
	evaluation.Actor, *evaluation.SheetView, error) {
	expert, ok := s.experts[m.ExpertID]
	if !ok {
		return expert, nil, fmt.Errorf("no account for expert %d", m.ExpertID)
	}
	if !pledged[m.ExpertID] {
		if err := s.svc.Sheets.SignPledge(s.ctx, expert, c.ID, evaluation.PledgeVersion); err != nil {
			return expert, nil, fmt.Errorf("%s signs the pledge: %w", m.Expert.Name, err)
		}
		pledged[m.ExpertID] = true
	}
	if err := s.svc.Sheets.DeclareNoConflict(s.ctx, expert, projectID); err != nil {
		return expert, nil, fmt.Errorf("%s declares: %w", m.Expert.Name, err)
	}
	view, err := s.svc.Sheets.Sheet(s.ctx, expert, projectID)
	return expert, view, err
}

// unit hashes numbers to a number in [0, 1]: the demo's fixed randomness.
func unit(parts ...int64) float64 {
	var b []byte
	for _, p := range parts {
		b = binary.BigEndian.AppendUint64(b, uint64(p))
	}
	sum := sha256.Sum256(b)
	return float64(binary.BigEndian.Uint64(sum[:8])) / math.MaxUint64
}

// leaning is an expert's own leaning, the same in every campaign: ±5% of
// each indicator's maximum.
func leaning(expertID int64) float64 { return (unit(expertID, 7) - 0.5) / 10 }

// demoSheet scores a project on a rubric as one expert would: the project's
// quality and the expert's leaning, give or take half a point or so per
// indicator. A draft stops after the first indicators, without an opinion.
func demoSheet(r *rubrics.Rubric, projectID, expertID int64, complete bool) evaluation.SheetContent {
	quality := 0.62 + 0.3*unit(projectID) // 62% to 92% of the maximum
	return scoredSheet(r, quality, leaning(expertID), projectID, expertID, complete)
}

// scoredSheet is a sheet that gives each indicator the share quality +
// lean of its maximum, give or take 5%, with every comment the rubric asks
// for and, when complete, an overall opinion that follows quality.
func scoredSheet(r *rubrics.Rubric, quality, lean float64, projectID, expertID int64, complete bool) evaluation.SheetContent {
	c := evaluation.SheetContent{Sheet: rubrics.Sheet{Scores: map[string]rubrics.Points{}, Comments: map[string]string{}}}
	for i, in := range r.Indicators {
		if !complete && i >= 2 {
			break
		}
		share := math.Max(0.3, math.Min(1, quality+lean+(unit(projectID, expertID, int64(i))-0.5)/10))
		score := rubrics.Points(math.Round(share * float64(in.Max)))
		c.Scores[in.Code] = score
		switch {
		case rubrics.CommentRequired(score, in.Max) && score*2 > in.Max:
			c.Comments[in.Code] = "该项完成情况突出，证据充分：第三方检测报告和现场测试记录均达到或优于任务书约定值。"
		case rubrics.CommentRequired(score, in.Max):
			c.Comments[in.Code] = "该项完成情况不理想，部分约定内容缺少可核实的证据，需在整改中补充。"
		}
	}
	if complete {
		switch {
		case quality >= 0.85:
			c.Opinion = "项目全面完成了任务书约定的考核指标，关键技术取得实质性突破，成果已实现应用，组织管理规范，建议通过。"
		case quality >= 0.7:
			c.Opinion = "项目完成了任务书规定的主要考核指标，技术路线合理，成果有一定应用前景；个别指标证据不够充分，建议补充说明。"
		default:
			c.Opinion = "项目部分主要考核指标未能完成，成果应用尚处于起步阶段，经费使用和过程管理有待加强。"
		}
	}
	return c
}
