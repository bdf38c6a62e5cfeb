package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/imports"
	"github.com/evalpanel/evalpanel/evaluation/password"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
	"github.com/evalpanel/evalpanel/web"
)

// The import commands bring a spreadsheet into the database as the web's
// import pages do, through the same imports.ImportProjects and
// imports.ImportExperts: all or nothing, every problem printed with its
// sheet, row and column in the language of --lang, exit status 1 and
// nothing stored when there is any.
//
// Who acts: the services record every import and every record in the
// audit log under an actor, and allow it only to the actor who may.
//   - With --as USERNAME the import acts as that account (enabled, and
//     staff of the campaign's agency for projects, an administrator or the
//     commission for experts), which the audit log names.
//   - Without it, the operator acts as "system" (actor id 0 in the audit
//     log): for projects on behalf of the campaign's agency (agency staff
//     of that agency, so the entries carry the agency), for experts as the
//     system administrator (evaluation.System).

// importCommand is what the two import commands share: their flags, the
// language of the problems and the messages.
type importCommand struct {
	name   string
	stderr io.Writer
	fs     *flag.FlagSet
	dbPath *string
	as     *string
	langID *string // as given; lang once parsed
	lang   evaluation.Language
	tr     imports.Translate
}

func newImportCommand(name string, stderr io.Writer) *importCommand {
	fs, db := newFlags(name, stderr)
	return &importCommand{name: name, stderr: stderr, fs: fs, dbPath: db,
		langID: fs.String("lang", string(evaluation.LangZH), "language of the problems printed: zh-CN or en"),
		as:     fs.String("as", "", "the account the import acts as and the audit log names (default: the operator, as system)")}
}

// parse parses the command line, flags before, between or after the
// files, and returns the files, from one to most of them.
func (c *importCommand) parse(args []string, most int) ([]string, error) {
	files, err := parseInterleaved(c.fs, args)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 || len(files) > most {
		fmt.Fprintf(c.stderr, "%s: give the file to import\n%s", c.name, usage)
		return nil, exitError(2)
	}
	l, ok := evaluation.ParseLanguage(*c.langID)
	if !ok {
		fmt.Fprintf(c.stderr, "%s: --lang %q: want zh-CN or en\n", c.name, *c.langID)
		return nil, exitError(2)
	}
	c.lang = l
	if c.tr, err = web.Translator(); err != nil {
		return nil, fmt.Errorf("messages: %w", err)
	}
	return files, nil
}

// parseInterleaved parses flags that may stand before, between or after
// the positional arguments (`import projects FILE --campaign 3`); flag
// alone stops at the first positional one. It returns the positional
// arguments; everything after "--" is one.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, exitError(2)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(positional, rest...), nil
		}
		positional, args = append(positional, rest[0]), rest[1:]
	}
}

// user returns the account of --as, or nil without it. An unknown or
// disabled account is refused.
func (c *importCommand) user(ctx context.Context, db *sqlstore.DB) (*evaluation.User, error) {
	if *c.as == "" {
		return nil, nil
	}
	u, err := db.UserByUsername(ctx, evaluation.NormalizeUsername(*c.as))
	if evaluation.ErrorCode(err) == evaluation.NotFound {
		fmt.Fprintf(c.stderr, "%s: --as %s: no such user\n", c.name, *c.as)
		return nil, exitError(1)
	}
	if err != nil {
		return nil, err
	}
	if !u.CanSignIn() {
		fmt.Fprintf(c.stderr, "%s: --as %s: the account is disabled\n", c.name, u.Username)
		return nil, exitError(1)
	}
	return u, nil
}

// refuse prints the user's error of the service (a campaign not found or
// locked, an actor who may not import) in the chosen language and ends
// with status 1; any other error is returned as it is.
func (c *importCommand) refuse(what string, err error) error {
	e := evaluation.ErrorAs(err)
	if e == nil || e.Code == evaluation.Internal {
		return err
	}
	fmt.Fprintf(c.stderr, "%s: %s: %s\n", c.name, what, c.tr(c.lang, e.Message, pairs(messageArgs(e, ""))...))
	for _, field := range slices.Sorted(maps.Keys(e.Fields)) {
		if e.Fields[field] != e.Message {
			fmt.Fprintf(c.stderr, "  %s: %s\n", field, c.tr(c.lang, e.Fields[field], pairs(e.Args[field])...))
		}
	}
	return exitError(1)
}

// messageArgs are the values a message of e shows: those of the field, or
// for the main message ("") its own, else those of a field with the same
// message, as the web's error pages take them.
func messageArgs(e *evaluation.Error, field string) map[string]any {
	if field != "" || len(e.Args[""]) > 0 {
		return e.Args[field]
	}
	for f, msg := range e.Fields {
		if msg == e.Message && len(e.Args[f]) > 0 {
			return e.Args[f]
		}
	}
	return nil
}

// pairs lists a message's values as the translator takes them: name,
// value, name, value, in order of name.
func pairs(args map[string]any) []any {
	var out []any
	for _, k := range slices.Sorted(maps.Keys(args)) {
		out = append(out, k, args[k])
	}
	return out
}

// problems prints the problems of a refused file as the import page lists
// them, one a line: sheet, row, column and message, tab-separated, under
// the count and a header line. It ends with status 1.
func (c *importCommand) problems(r *imports.Report) error {
	list := r.Problems()
	fmt.Fprintf(c.stderr, "%s: %s\n", c.name, c.tr(c.lang, "import.refused", "Count", len(list)))
	fmt.Fprintf(c.stderr, "%s\t%s\t%s\t%s\n", c.tr(c.lang, "import.col_sheet"), c.tr(c.lang, "import.col_row"),
		c.tr(c.lang, "import.col_column"), c.tr(c.lang, "import.col_reason"))
	for _, p := range list {
		row, column := "—", p.HeaderIn(c.lang)
		if p.Row > 0 {
			row = strconv.Itoa(p.Row)
		}
		if p.Column != "" {
			column = p.Column + " " + column
		}
		fmt.Fprintf(c.stderr, "%s\t%s\t%s\t%s\n", p.Sheet, row, column, p.Text(c.lang, c.tr))
	}
	return exitError(1)
}

// readFiles reads the files named on the command line; a file that cannot
// be opened or read is an error, not a problem of the import.
func readFiles(paths []string) ([]*imports.File, error) {
	var out []*imports.File
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		file := imports.ReadFile(path, f)
		f.Close()
		if file.Err != nil {
			return nil, fmt.Errorf("read %s: %w", path, file.Err)
		}
		out = append(out, file)
	}
	return out, nil
}

// cmdImportProjects imports projects and their contract indicators into a
// campaign from a workbook, or from a projects csv and an optional
// indicators csv. See the top of this file for who acts.
func cmdImportProjects(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := newImportCommand("import projects", stderr)
	campaignID := c.fs.Int64("campaign", 0, "id of the campaign the projects join")
	paths, err := c.parse(args, 2)
	if err != nil {
		return err
	}
	if *campaignID <= 0 {
		fmt.Fprintf(stderr, "%s: --campaign ID is required\n", c.name)
		return exitError(2)
	}
	db, svc, err := openService(ctx, *c.dbPath, password.Default)
	if err != nil {
		return err
	}
	defer db.Close()
	camp, err := svc.Campaigns.Campaign(ctx, evaluation.System, *campaignID)
	if err != nil {
		return c.refuse(fmt.Sprintf("campaign %d", *campaignID), err)
	}
	u, err := c.user(ctx, db)
	if err != nil {
		return err
	}
	actor := evaluation.Actor{Username: evaluation.System.Username, Role: evaluation.RoleAgencyStaff, AgencyID: camp.AgencyID}
	if u != nil {
		if u.Role != evaluation.RoleAgencyStaff || u.AgencyID != camp.AgencyID {
			fmt.Fprintf(stderr, "%s: --as %s: only staff of the campaign's agency (%s) import its projects\n", c.name, u.Username, camp.AgencyCode)
			return exitError(1)
		}
		actor = u.Actor()
	}
	files, err := readFiles(paths)
	if err != nil {
		return err
	}
	var indicatorsFile *imports.File
	if len(files) == 2 {
		indicatorsFile = files[1]
	}
	list, r, err := imports.ImportProjects(ctx, svc.Campaigns, actor, camp.ID, files[0], indicatorsFile)
	if err != nil {
		return c.refuse(fmt.Sprintf("campaign %d", camp.ID), err)
	}
	if !r.OK() {
		return c.problems(r)
	}
	indicators := 0
	for _, p := range list {
		indicators += len(p.Indicators)
	}
	fmt.Fprintf(stdout, "imported %s with %s into campaign %d (%s) as %s\n",
		count(len(list), "project"), count(indicators, "indicator"), camp.ID, camp.Name, actor.Username)
	return nil
}

// cmdImportExperts imports profiles into the expert pool from a workbook
// or a csv file. See the top of this file for who acts.
func cmdImportExperts(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := newImportCommand("import experts", stderr)
	paths, err := c.parse(args, 1)
	if err != nil {
		return err
	}
	db, svc, err := openService(ctx, *c.dbPath, password.Default)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := c.user(ctx, db)
	if err != nil {
		return err
	}
	actor := evaluation.System
	if u != nil {
		if !evaluation.CanManagePool(u.Actor()) {
			fmt.Fprintf(stderr, "%s: --as %s: only administrators and the commission import experts\n", c.name, u.Username)
			return exitError(1)
		}
		actor = u.Actor()
	}
	files, err := readFiles(paths)
	if err != nil {
		return err
	}
	list, r, err := imports.ImportExperts(ctx, svc.Pool, actor, files[0])
	if err != nil {
		return c.refuse("the expert pool", err)
	}
	if !r.OK() {
		return c.problems(r)
	}
	fmt.Fprintf(stdout, "imported %s into the expert pool as %s\n", count(len(list), "expert"), actor.Username)
	return nil
}

// count is n things: "1 project", "2 projects".
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
