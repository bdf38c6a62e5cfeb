package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
)

// benchPostgres creates the bench's two databases on the PostgreSQL
// server at serverURL, evalpanel's and the baseline's, and returns their
// URLs and a function that drops both.
func benchPostgres(ctx context.Context, serverURL string) (ours, base string, drop func(), err error) {
	admin, err := sql.Open("pgx", serverURL)
	if err != nil {
		return "", "", nil, err
	}
	b := make([]byte, 4)
	rand.Read(b)
	suffix := hex.EncodeToString(b)
	var names []string
	drop = func() {
		for _, n := range names {
			admin.ExecContext(context.WithoutCancel(ctx), `DROP DATABASE IF EXISTS `+n+` WITH (FORCE)`)
		}
		admin.Close()
	}
	var urls []string
	for _, n := range []string{"evalpanel_bench_" + suffix, "evalpanel_bench_base_" + suffix} {
		if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+n+` TEMPLATE template0 ENCODING 'UTF8'`); err != nil {
			drop()
			return "", "", nil, fmt.Errorf("create database %s: %w", n, err)
		}
		names = append(names, n)
		u, err := url.Parse(serverURL)
		if err != nil {
			drop()
			return "", "", nil, err
		}
		u.Path = "/" + n
		urls = append(urls, u.String())
	}
	return urls[0], urls[1], drop, nil
}
