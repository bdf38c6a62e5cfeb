package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// TestAuditLogReadsInWords: on the seeded demo, every detail the audit log
// holds has a translated label, and the log page names objects and the
// experts, projects and states in details instead of showing ids, codes or
// JSON.
func TestAuditLogReadsInWords(t *testing.T) {
	s := newDemoSite(t)
	ctx := context.Background()
	var entries []*evaluation.AuditEntry
	for page, total := 1, 1; len(entries) < total; page++ {
		list, n, err := s.svc.Accounts.AuditLog(ctx, evaluation.System, evaluation.AuditFilter{
			Page: evaluation.Page{Number: page, Size: evaluation.MaxPageSize}})
		if err != nil || len(list) == 0 {
			t.Fatalf("audit log page %d: %d entries, %v", page, len(list), err)
		}
		entries, total = append(entries, list...), n
	}
	if len(entries) < 50 {
		t.Fatalf("%d audit entries; want a realistic log", len(entries))
	}
	for _, e := range entries {
		var d map[string]any
		if err := json.Unmarshal([]byte(e.Details), &d); err != nil {
			t.Fatalf("entry %d: details %q: %v", e.ID, e.Details, err)
		}
		for k := range d {
			if !auditHidden[k] && !s.app.tr.Has("audit_key."+k) {
				t.Errorf("entry %d (%s): detail %q has no audit_key message", e.ID, e.Action, k)
			}
		}
	}

	// A draw of the forming campaign, with its experts by name.
	c := s.campaigns["SSTPC"]
	var draw *evaluation.Panel
	for _, p := range s.panels[c.ID] {
		draw = p
	}
	var code string
	for _, p := range s.projects {
		if p.ID == draw.ProjectIDs[0] {
			code = p.Code
		}
	}
	br := s.browser()
	br.login("admin")
	// The past campaigns' entries are the newest (evaluation/demo seeds
	// them last): the entries of the present ones are asked for by object.
	byObject := func(kind string, id int64) string { return fmt.Sprintf("&object_type=%s&object_id=%d", kind, id) }
	var concluded int64
	for _, p := range s.projects {
		if p.Code == "22DZ2201400" {
			concluded = p.ID
		}
	}
	for _, tc := range []struct {
		action string
		want   []string
		object string
	}{
		{"panel.draw", append([]string{"专家组 " + draw.Name, "随机种子", "技术组", code}, memberNames(draw, evaluation.SeatTechnical)...), ""},
		{"campaign.transition", []string{"评价批次 " + c.Name, "原来", "草稿", "改为", "组建专家组"}, byObject("campaign", c.ID)},
		{"user.login", []string{"用户 陈立群（admin）", "渠道", "web"}, ""},
		{"invitation.decline", []string{"专家组成员", "原因", "评审期间在国外参加学术会议，时间冲突"}, ""},
		{"expert.conflict_add", []string{"专家 徐明", "单位", "上海智驭汽车科技有限公司"}, ""},
		// The concluding campaign's results.
		{"project.conclude", []string{"项目 22DZ2201400", "结论", "建议结论", "不通过"}, byObject("project", concluded)},
		{"opinion.lock", []string{"建议结论", "通过", "不同意见人数"}, ""},
		{"project.revision", []string{"项目 22JC1401200", "类别", "分歧复议", "截止日期", "退回评分表数"}, ""},
	} {
		_, page := br.get("/audit?action=" + url.QueryEscape(tc.action) + tc.object)
		text := visibleText(page)
		if !strings.Contains(page, fmt.Sprintf(`data-action=%q`, tc.action)) {
			t.Errorf("%s: the log shows no such entry", tc.action)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the log lacks %q", tc.action, w)
			}
		}
		for _, bad := range []string{`{"`, tc.action} {
			if strings.Contains(text, bad) {
				t.Errorf("%s: the log shows %q", tc.action, bad)
			}
		}
		if m := objectID.FindString(text); m != "" {
			t.Errorf("%s: the log shows an object by its id: %q", tc.action, m)
		}
	}
}

// objectID is an object named by its database id ("用户 #19").
var objectID = regexp.MustCompile(`\pL[ \t]*#\d+`)

// memberNames lists the names of a panel's seated experts in a group.
func memberNames(p *evaluation.Panel, seat evaluation.Seat) []string {
	var out []string
	for _, m := range p.Seated(seat) {
		out = append(out, m.Expert.Name)
	}
	return out
}
