package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// TestBadInputChangesNothing sends malformed JSON, wrong types, unknown,
// missing and oversized fields to the user and token endpoints. Each gets a
// 4xx in the error format, naming the field where there is one, and the
// database is byte-for-byte the same afterwards.
func TestBadInputChangesNothing(t *testing.T) {
	h := newHarness(t)
	expert := idPath("/api/v1/users/%d", h.users["expert"].ID)
	long := strings.Repeat("长", 65)
	cases := []struct {
		name, as, method, url, body string
		status                      int
		code                        evaluation.Code
		field                       string // a field the error must name, if any
		contentType                 string
	}{
		{"token: malformed JSON", "", "POST", "/api/v1/auth/token", `{"username":"admin",`, 400, evaluation.Invalid, "", ""},
		{"token: not an object", "", "POST", "/api/v1/auth/token", `["admin","pw"]`, 400, evaluation.Invalid, "", ""},
		{"token: wrong type", "", "POST", "/api/v1/auth/token", `{"username":42,"password":"x"}`, 400, evaluation.Invalid, "username", ""},
		{"token: unknown field", "", "POST", "/api/v1/auth/token", `{"username":"admin","password":"x","admin":true}`, 400, evaluation.Invalid, "admin", ""},
		{"token: missing password", "", "POST", "/api/v1/auth/token", `{"username":"admin"}`, 400, evaluation.Invalid, "password", ""},
		{"token: null password", "", "POST", "/api/v1/auth/token", `{"username":"admin","password":null}`, 400, evaluation.Invalid, "password", ""},
		{"token: oversized username", "", "POST", "/api/v1/auth/token", `{"username":"` + strings.Repeat("a", 65) + `","password":"x"}`, 400, evaluation.Invalid, "username", ""},
		{"token: empty body", "", "POST", "/api/v1/auth/token", ``, 400, evaluation.Invalid, "", ""},
		{"token: trailing data", "", "POST", "/api/v1/auth/token", `{"username":"admin","password":"x"} {}`, 400, evaluation.Invalid, "", ""},
		{"token: repeated field", "", "POST", "/api/v1/auth/token", `{"username":"nobody","password":"x","username":"admin"}`, 400, evaluation.Invalid, "username", ""},
		{"token: trailing bracket", "", "POST", "/api/v1/auth/token", `{"username":"admin","password":"x"}]`, 400, evaluation.Invalid, "", ""},
		{"token: invalid UTF-8", "", "POST", "/api/v1/auth/token", "{\"username\":\"ad\xffmin\",\"password\":\"x\"}", 400, evaluation.Invalid, "", ""},
		{"token: form instead of JSON", "", "POST", "/api/v1/auth/token", `username=admin&password=x`, 400, evaluation.Invalid, "", "application/x-www-form-urlencoded"},
		{"token: wrong password", "", "POST", "/api/v1/auth/token", `{"username":"admin","password":"wrong password"}`, 401, evaluation.Unauthenticated, "", ""},
		{"create user: malformed", "admin", "POST", "/api/v1/users", `{"username":`, 400, evaluation.Invalid, "", ""},
		{"create user: missing fields", "admin", "POST", "/api/v1/users", `{}`, 400, evaluation.Invalid, "username", ""},
		{"create user: wrong type", "admin", "POST", "/api/v1/users", `{"username":"ok.name","name":"N","role":"expert","password":12345678901}`, 400, evaluation.Invalid, "password", ""},
		{"create user: unknown field", "admin", "POST", "/api/v1/users", `{"username":"ok.name","name":"N","role":"expert","password":"long enough pw","is_admin":true}`, 400, evaluation.Invalid, "is_admin", ""},
		{"create user: bad role", "admin", "POST", "/api/v1/users", `{"username":"ok.name","name":"N","role":"root","password":"long enough pw"}`, 400, evaluation.Invalid, "role", ""},
		{"create user: oversized name", "admin", "POST", "/api/v1/users", `{"username":"ok.name","name":"` + long + `","role":"expert","password":"long enough pw"}`, 400, evaluation.Invalid, "name", ""},
		{"create user: short password", "admin", "POST", "/api/v1/users", `{"username":"ok.name","name":"N","role":"expert","password":"short"}`, 400, evaluation.Invalid, "password", ""},
		{"create user: bad username", "admin", "POST", "/api/v1/users", `{"username":"../etc","name":"N","role":"expert","password":"long enough pw"}`, 400, evaluation.Invalid, "username", ""},
		{"create user: staff without agency", "admin", "POST", "/api/v1/users", `{"username":"ok.name","name":"N","role":"agency_staff","password":"long enough pw"}`, 400, evaluation.Invalid, "agency", ""},
		{"create user: unknown agency", "admin", "POST", "/api/v1/users", `{"username":"ok.name","name":"N","role":"agency_staff","agency":"NOPE","password":"long enough pw"}`, 400, evaluation.Invalid, "agency", ""},
		{"create user: NaN-ish number", "admin", "POST", "/api/v1/users", `{"username":"ok.name","name":"N","role":"expert","expert_id":1e400,"password":"long enough pw"}`, 400, evaluation.Invalid, "expert_id", ""},
		{"create user: negative expert id", "admin", "POST", "/api/v1/users", `{"username":"ok.name","name":"N","role":"expert","expert_id":-1,"password":"long enough pw"}`, 400, evaluation.Invalid, "expert_id", ""},
		{"create user: duplicate", "admin", "POST", "/api/v1/users", `{"username":"expert","name":"N","role":"expert","password":"long enough pw"}`, 409, evaluation.Conflict, "username", ""},
		{"create user: as staff", "staffa", "POST", "/api/v1/users", `{"username":"ok.name","name":"N","role":"admin","password":"long enough pw"}`, 403, evaluation.Forbidden, "", ""},
		{"patch user: wrong type", "admin", "PATCH", expert, `{"disabled":"yes"}`, 400, evaluation.Invalid, "disabled", ""},
		{"patch user: empty name", "admin", "PATCH", expert, `{"name":""}`, 400, evaluation.Invalid, "name", ""},
		{"patch user: bad language", "admin", "PATCH", expert, `{"language":"fr"}`, 400, evaluation.Invalid, "language", ""},
		{"patch user: bad e-mail", "admin", "PATCH", expert, `{"email":"zhang@"}`, 400, evaluation.Invalid, "email", ""},
		{"create user: bad e-mail", "admin", "POST", "/api/v1/users", `{"username":"ok.name","name":"N","email":"N <n@x.cn>","role":"commission","password":"long enough pw"}`, 400, evaluation.Invalid, "email", ""},
		{"patch user: unknown field", "admin", "PATCH", expert, `{"password_hash":"x"}`, 400, evaluation.Invalid, "password_hash", ""},
		{"patch user: staff role without agency", "admin", "PATCH", expert, `{"role":"agency_staff"}`, 400, evaluation.Invalid, "agency", ""},
		{"patch user: missing", "admin", "PATCH", "/api/v1/users/999", `{"name":"x"}`, 404, evaluation.NotFound, "", ""},
		{"reset password: too short", "admin", "POST", expert + "/password", `{"password":"short"}`, 400, evaluation.Invalid, "password", ""},
		{"reset password: too long", "admin", "POST", expert + "/password", `{"password":"` + strings.Repeat("p", 129) + `"}`, 400, evaluation.Invalid, "password", ""},
		{"me: bad language", "expert", "PATCH", "/api/v1/me", `{"language":"de"}`, 400, evaluation.Invalid, "language", ""},
		{"me: change password wrong type", "expert", "POST", "/api/v1/me/password", `{"current_password":true,"password":"long enough pw"}`, 400, evaluation.Invalid, "current_password", ""},
		{"revoke: missing token", "expert", "DELETE", "/api/v1/tokens/999", ``, 404, evaluation.NotFound, "", ""},
	}
	// Use every token once so that its last-used time is already recorded.
	for as := range h.tokens {
		h.api(as, "GET", "/api/v1/me", "")
	}
	before := h.dump()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var header []string
			if tc.contentType != "" {
				header = []string{"Content-Type", tc.contentType}
			}
			resp, body := h.api(tc.as, tc.method, tc.url, tc.body, header...)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d; body %s", resp.StatusCode, tc.status, body)
			}
			var fields []string
			if tc.field != "" {
				fields = append(fields, tc.field)
			}
			e := wantError(t, body, tc.code, fields...)
			for field, msg := range e.Fields {
				if strings.HasPrefix(msg, "error.") {
					t.Errorf("field %s has an untranslated message %q", field, msg)
				}
			}
			if after := h.dump(); after != before {
				t.Fatalf("the request changed the database")
			}
		})
	}
}

// TestErrorsInCallersLanguage: the same bad request gets its field messages
// in Chinese or English by Accept-Language, else the user's preference.
func TestErrorsInCallersLanguage(t *testing.T) {
	h := newHarness(t)
	body := `{"username":"x","name":"N","role":"expert","password":"short"}`
	cases := []struct {
		lang     string
		username string
		password string
		message  string
	}{
		{"zh-CN", "username长度必须至少为3个字符", "密码至少需要 10 个字符", "提交的内容有误"},
		{"en-US,en;q=0.9", "username must be at least 3 characters in length", "The password needs at least 10 characters", "Some of the input is not valid"},
	}
	for _, tc := range cases {
		t.Run(tc.lang, func(t *testing.T) {
			resp, b := h.api("admin", "POST", "/api/v1/users", body, "Accept-Language", tc.lang)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d", resp.StatusCode)
			}
			e := wantError(t, b, evaluation.Invalid, "username", "password")
			for field, want := range map[string]string{"username": labelled(tc.username), "password": labelled(tc.password)} {
				if !strings.Contains(e.Fields[field], want) {
					t.Errorf("fields[%s] = %q, want it to contain %q", field, e.Fields[field], want)
				}
			}
			if !strings.Contains(e.Message, tc.message) {
				t.Errorf("message %q, want %q", e.Message, tc.message)
			}
		})
	}
}

// labelled replaces a field's JSON name with its label, as the translator does.
func labelled(s string) string {
	r := strings.NewReplacer("username长度", "用户名长度", "password长度", "密码长度", "username must", "Username must", "password must", "Password must")
	return r.Replace(s)
}
