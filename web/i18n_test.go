package web

import (
	"encoding/json"
	"io/fs"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/assign"
	"github.com/evalpanel/evalpanel/rubrics"
)

// TestMessagesInBothLanguages fails when a message is missing or empty in
// either language, or when a message ID used in the templates or the Go
// code is in neither.
func TestMessagesInBothLanguages(t *testing.T) {
	files := map[evaluation.Language]map[string]string{}
	for _, lang := range evaluation.Languages {
		paths, err := messagePaths(lang)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, path := range paths {
			data, err := messageFiles.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			part := map[string]string{}
			if err := json.Unmarshal(data, &part); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			for id, s := range part {
				if _, dup := m[id]; dup {
					t.Errorf("%s: %q is also in another %s file", path, id, lang)
				}
				m[id] = s
			}
		}
		files[lang] = m
	}
	zh, en := files[evaluation.LangZH], files[evaluation.LangEN]
	for id, s := range zh {
		if _, ok := en[id]; !ok {
			t.Errorf("%q is in zh-CN but not in en", id)
		}
		if strings.TrimSpace(s) == "" {
			t.Errorf("%q is empty in zh-CN", id)
		}
	}
	for id, s := range en {
		if _, ok := zh[id]; !ok {
			t.Errorf("%q is in en but not in zh-CN", id)
		}
		if strings.TrimSpace(s) == "" {
			t.Errorf("%q is empty in en", id)
		}
	}

	used := usedMessageIDs(t)
	if len(used) < 100 {
		t.Fatalf("found only %d message IDs in use; the scan is broken", len(used))
	}
	for _, id := range used {
		if _, ok := zh[id]; !ok {
			t.Errorf("message %q is used but missing", id)
		}
	}
}

var (
	// {{.T "id"}}, {{$p.T "id" …}}, {{.P.T "id"}}
	templateCall = regexp.MustCompile(`\.T "([^"]+)"`)
	// dict arguments that name messages: "Label" "id", "Title" "id", …
	templateArg = regexp.MustCompile(`"(?:Label|Hint|Title|Text|Action)" "([^"]+)"`)
	// a.T(c, "id"), a.flash(c, "id"), a.tr.T(lang, "id")
	goCall = regexp.MustCompile(`(?:\.T|\.flash)\((?:c|lang), "([^"]+)"`)
	// message IDs of domain errors
	goError = regexp.MustCompile(`"(error\.[a-z_]+)"`)
	// audit actions, each of which has a translated name
	goAction = regexp.MustCompile(`"((?:user|agency|expert|token|demo|rubric|campaign|project|panel|draw|material|invitation|institution_alias)\.[a-z_]+)"`)
	// message IDs of rubric and sheet problems
	rubricMessage = regexp.MustCompile(`"(rubric\.[a-z_0-9]+)"`)
)

// usedMessageIDs scans the templates and the Go code of web and evaluation
// for message IDs, and adds the IDs built at run time from domain values.
func usedMessageIDs(t *testing.T) []string {
	t.Helper()
	ids := map[string]bool{}
	err := fs.WalkDir(assets, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := assets.ReadFile(path)
		for _, m := range templateCall.FindAllStringSubmatch(string(b), -1) {
			ids[m[1]] = true
		}
		for _, m := range templateArg.FindAllStringSubmatch(string(b), -1) {
			ids[m[1]] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{".", "../evaluation", "../evaluation/demo", "../rubrics"} {
		for _, src := range goSources(t, filepath.Join(dir, "*.go")) {
			for _, m := range goCall.FindAllStringSubmatch(src.Text, -1) {
				ids[m[1]] = true
			}
			for _, m := range goError.FindAllStringSubmatch(src.Text, -1) {
				ids[m[1]] = true
			}
			switch dir {
			case ".":
			case "../rubrics":
				for _, m := range rubricMessage.FindAllStringSubmatch(src.Text, -1) {
					ids[m[1]] = true
				}
			default:
				for _, m := range goAction.FindAllStringSubmatch(src.Text, -1) {
					ids["audit_action."+m[1]] = true
				}
			}
		}
	}
	// IDs composed at run time.
	for _, r := range evaluation.Roles {
		ids["role."+string(r)] = true
		ids["dashboard.intro."+string(r)] = true
	}
	for _, x := range evaluation.ExpertTypes {
		ids["expert_type."+string(x)] = true
	}
	for _, x := range evaluation.Regions {
		ids["region."+string(x)] = true
	}
	for _, x := range evaluation.TitleLevels {
		ids["title_level."+string(x)] = true
	}
	for _, t := range rubrics.Targets {
		ids["target."+string(t)] = true
	}
	for _, k := range rubrics.Kinds {
		ids["kind."+string(k)] = true
	}
	for _, g := range []rubrics.Grade{rubrics.Excellent, rubrics.Good, rubrics.Pass, rubrics.Fail} {
		ids["grade."+string(g)] = true
	}
	for _, s := range evaluation.RubricStatuses {
		ids["rubric_status."+string(s)] = true
	}
	for _, st := range evaluation.CampaignStates {
		ids["campaign_state."+string(st)] = true
	}
	for _, t := range evaluation.Transitions {
		for _, suffix := range []string{"", ".confirm", ".help"} {
			ids["campaign_move."+string(t.To)+suffix] = true
		}
	}
	for _, x := range evaluation.Aggregations {
		ids["aggregation."+string(x)] = true
	}
	for _, m := range evaluation.Methods {
		ids["method."+string(m)] = true
	}
	for _, k := range evaluation.IndicatorKinds {
		ids["indicator_kind."+string(k)] = true
	}
	for _, s := range []evaluation.IndicatorStatus{evaluation.StatusUnknown, evaluation.StatusMet, evaluation.StatusPartly, evaluation.StatusNotMet} {
		ids["indicator_status."+string(s)] = true
	}
	for _, x := range []evaluation.PanelState{evaluation.PanelForming, evaluation.PanelInviting, evaluation.PanelConfirmed} {
		ids["panel_state."+string(x)] = true
	}
	for _, x := range []evaluation.MemberStatus{evaluation.MemberProposed, evaluation.MemberAlternate, evaluation.MemberInvited,
		evaluation.MemberAccepted, evaluation.MemberDeclined, evaluation.MemberRemoved} {
		ids["member_status."+string(x)] = true
	}
	for _, x := range []evaluation.Seat{evaluation.SeatTechnical, evaluation.SeatFinance} {
		ids["seat."+string(x)] = true
	}
	for _, x := range evaluation.SheetStatuses {
		ids["sheet_status."+string(x)] = true
	}
	for _, x := range []string{assign.ReasonInstitution, assign.ReasonMember, assign.ReasonAvoided, assign.ReasonDeclared,
		assign.ReasonCollaboration, assign.ReasonNotDrawable, assign.ReasonLoadCampaign, assign.ReasonLoadYear, assign.ReasonSubject,
		evaluation.ReasonSeat, evaluation.ReasonOnPanel} {
		ids["reason."+x] = true
	}
	for _, class := range evaluation.ProjectClasses {
		for _, q := range evaluation.DefaultCampaignSettings().Panels[class].Quotas {
			ids["quota."+q.Name] = true
		}
	}
	for _, x := range []string{"institution", "member", "avoided", "declared_project", "record_person", "record_institution",
		"not_drawable", "load_campaign", "load_year", "subject_project_none", "subject_expert_none", "subject_mismatch",
		evaluation.ReasonSeat, evaluation.ReasonOnPanel, "replaced"} {
		ids["reason_detail."+x] = true
	}
	for _, x := range []string{"lead", "participant", "pi", "member"} {
		ids["project_role."+x] = true
	}
	for _, x := range []string{"declared", "joint_project", "joint_paper", "joint_patent", "joint_award", "collaboration"} {
		ids["record_kind."+x] = true
	}
	for _, x := range []string{"draw", "match"} {
		ids["draw_kind."+x] = true
	}
	for _, x := range []string{"pass", "reason", "refused"} { // the groups of a change form's candidates
		ids["panels.group_"+x] = true
	}
	for _, x := range evaluation.AuditObjectTypes {
		ids["object."+x] = true
	}
	for _, l := range evaluation.Languages {
		ids["lang."+string(l)] = true
	}
	for _, k := range evaluation.MessageKinds {
		ids["message_kind."+string(k)] = true
		ids["mail."+string(k)+".subject"], ids["mail."+string(k)+".body"] = true, true
	}
	for _, s := range evaluation.MessageStatuses {
		ids["message_status."+string(s)] = true
	}
	for _, x := range evaluation.MessageProblems {
		ids["outbox.problem."+x] = true
	}
	ids["mail.greeting"], ids["mail.footer"] = true, true
	for _, k := range []string{"string", "number", "bool", "array", "object"} {
		ids["error.wrong_type_"+k] = true
	}
	for code := range statusOf {
		ids["error."+string(code)] = true
	}
	for _, id := range validatorMessageIDs() {
		ids[id] = true
	}
	for id := range ids {
		if strings.HasSuffix(id, ".") || strings.HasSuffix(id, "_") {
			delete(ids, id) // a prefix completed at run time, covered above
		}
	}
	var out []string
	for id := range ids {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}
