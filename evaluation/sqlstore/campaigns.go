package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/evalpanel/evalpanel/evaluation"
)

const campaignColumns = `c.id, c.agency_id, a.code, c.name, c.year, c.programme, c.state, c.aggregation, c.settings,
	c.created_by, c.created_at, c.updated_at, (SELECT count(*) FROM projects p WHERE p.campaign_id = c.id)`

const campaignFrom = ` FROM campaigns c JOIN agencies a ON a.id = c.agency_id`

func scanCampaign(row scanner) (*evaluation.Campaign, error) {
	c := &evaluation.Campaign{}
	var settings string
	if err := row.Scan(&c.ID, &c.AgencyID, &c.AgencyCode, &c.Name, &c.Year, &c.Programme, &c.State, &c.Aggregation, &settings,
		&c.CreatedBy, timeScan{&c.CreatedAt}, timeScan{&c.UpdatedAt}, &c.Projects); err != nil {
		return nil, err
	}
	// Settings stored before the divergence limits were settings have
	// none: they read as the defaults.
	d := evaluation.DefaultCampaignSettings()
	c.Settings.DivergenceRange, c.Settings.DivergenceDistance = d.DivergenceRange, d.DivergenceDistance
	if err := json.Unmarshal([]byte(settings), &c.Settings); err != nil {
		return nil, fmt.Errorf("decode settings of campaign %d: %w", c.ID, err)
	}
	return c, nil
}

func (q queries) Campaign(ctx context.Context, id int64) (*evaluation.Campaign, error) {
	// +?: see the package doc.
	c, err := scanCampaign(q.db.QueryRowContext(ctx, `SELECT `+campaignColumns+campaignFrom+` WHERE c.id = +?`, id))
	if err != nil {
		return nil, fmt.Errorf("load campaign %d: %w", id, mapError(err, ""))
	}
	return c, nil
}

func (q queries) Campaigns(ctx context.Context, f evaluation.CampaignFilter) ([]*evaluation.Campaign, error) {
	var w where
	if f.AgencyID != 0 {
		w.add("c.agency_id = ?", f.AgencyID)
	}
	if f.Year != 0 {
		w.add("c.year = ?", f.Year)
	}
	if f.State != "" {
		w.add("c.state = ?", f.State)
	}
	return queryList(ctx, q.db, "list campaigns", scanCampaign,
		`SELECT `+campaignColumns+campaignFrom+w.String()+` ORDER BY c.year DESC, c.id DESC`, w.args...)
}

func (q queries) CampaignTransitions(ctx context.Context, campaignID int64) ([]*evaluation.CampaignTransition, error) {
	return queryList(ctx, q.db, "list campaign transitions", func(row scanner) (*evaluation.CampaignTransition, error) {
		t := &evaluation.CampaignTransition{}
		err := row.Scan(&t.ID, &t.From, &t.To, &t.ActorID, &t.Actor, &t.Reason, timeScan{&t.At})
		return t, err
	}, `SELECT t.id, t.from_state, t.to_state, t.actor_id, COALESCE(NULLIF(u.name, ''), u.username, 'system'), t.reason, t.at
		FROM campaign_transitions t LEFT JOIN users u ON u.id = t.actor_id WHERE t.campaign_id = ? ORDER BY t.id`, campaignID)
}

func settingsJSON(c *evaluation.Campaign) (string, error) {
	b, err := json.Marshal(c.Settings)
	if err != nil {
		return "", fmt.Errorf("encode settings of campaign %q: %w", c.Name, err)
	}
	return string(b), nil
}

func (t *tx) CreateCampaign(ctx context.Context, c *evaluation.Campaign) error {
	settings, err := settingsJSON(c)
	if err != nil {
		return err
	}
	id, err := insertID(ctx, t.db, `INSERT INTO campaigns (agency_id, name, year, programme, state, aggregation, settings,
		created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.AgencyID, c.Name, c.Year, c.Programme, c.State, c.Aggregation, settings, c.CreatedBy,
		formatTime(c.CreatedAt), formatTime(c.UpdatedAt))
	if err != nil {
		return fmt.Errorf("create campaign %q: %w", c.Name, mapError(err, ""))
	}
	c.ID = id
	return nil
}

func (t *tx) UpdateCampaign(ctx context.Context, c *evaluation.Campaign) error {
	settings, err := settingsJSON(c)
	if err != nil {
		return err
	}
	res, err := t.db.ExecContext(ctx, `UPDATE campaigns SET name = ?, year = ?, programme = ?, state = ?, aggregation = ?,
		settings = ?, updated_at = ? WHERE id = ?`,
		c.Name, c.Year, c.Programme, c.State, c.Aggregation, settings, formatTime(c.UpdatedAt), c.ID)
	if err != nil {
		return fmt.Errorf("update campaign %d: %w", c.ID, mapError(err, ""))
	}
	return mustAffect(res, "update campaign", c.ID)
}

func (t *tx) AddCampaignTransition(ctx context.Context, campaignID int64, tr *evaluation.CampaignTransition) error {
	id, err := insertID(ctx, t.db, `INSERT INTO campaign_transitions (campaign_id, from_state, to_state, actor_id, reason, at)
		VALUES (?, ?, ?, ?, ?, ?)`, campaignID, tr.From, tr.To, tr.ActorID, tr.Reason, formatTime(tr.At))
	if err != nil {
		return fmt.Errorf("record transition of campaign %d: %w", campaignID, mapError(err, ""))
	}
	tr.ID = id
	return nil
}
