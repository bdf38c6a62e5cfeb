package mailer

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
)

// Server is where and how the sender delivers: an SMTP submission server
// and the sender's address.
type Server struct {
	Host string
	Port int
	// ImplicitTLS connects with TLS from the start (smtps://, port 465);
	// otherwise TLS is the STARTTLS policy.
	ImplicitTLS bool
	TLS         TLSPolicy
	Username    string
	Password    string
	From        *mail.Address
}

// TLSPolicy says whether a plain connection must be upgraded with
// STARTTLS.
type TLSPolicy string

// The STARTTLS policies of smtp:// URLs.
const (
	// TLSMandatory refuses to send unless the server upgrades the
	// connection (the default).
	TLSMandatory TLSPolicy = "starttls"
	// TLSOpportunistic upgrades when the server offers it.
	TLSOpportunistic TLSPolicy = "opportunistic"
	// TLSNone never upgrades: for a relay on the same host or a test
	// server.
	TLSNone TLSPolicy = "none"
)

// ParseURL reads the server from a URL:
//
//	smtp://user:password@host:587?from=evalpanel@example.org
//	smtps://user:password@host:465?from=Evalpanel%20<evalpanel@example.org>
//	smtp://127.0.0.1:25?from=evalpanel@example.org&tls=none
//
// smtp:// submits on port 587 with STARTTLS required unless tls says
// otherwise (opportunistic, none); smtps:// uses TLS from the start on
// port 465. The user and password, when given, authenticate with the best
// mechanism the server offers. from, the sender's address, is required.
func ParseURL(raw string) (Server, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Server{}, errors.New("not a URL") // url's error would repeat the password
	}
	var s Server
	switch u.Scheme {
	case "smtp":
		s.Port, s.TLS = 587, TLSMandatory
	case "smtps":
		s.Port, s.ImplicitTLS = 465, true
	default:
		return Server{}, fmt.Errorf("scheme %q: want smtp or smtps", u.Scheme)
	}
	if s.Host = u.Hostname(); s.Host == "" {
		return Server{}, errors.New("no host")
	}
	if p := u.Port(); p != "" {
		if s.Port, err = strconv.Atoi(p); err != nil || s.Port < 1 || s.Port > 65535 {
			return Server{}, fmt.Errorf("port %q", p)
		}
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	q := u.Query()
	for k := range q {
		if k != "from" && k != "tls" {
			return Server{}, fmt.Errorf("unknown parameter %q: want from or tls", k)
		}
	}
	if s.From, err = mail.ParseAddress(q.Get("from")); err != nil {
		return Server{}, fmt.Errorf("from %q: want the sender's e-mail address", q.Get("from"))
	}
	if t := q.Get("tls"); t != "" {
		if s.ImplicitTLS {
			return Server{}, errors.New("tls applies to smtp:// only; smtps:// is always TLS")
		}
		switch p := TLSPolicy(t); p {
		case TLSMandatory, TLSOpportunistic, TLSNone:
			s.TLS = p
		default:
			return Server{}, fmt.Errorf("tls %q: want starttls, opportunistic or none", t)
		}
	}
	return s, nil
}

// Addr is the server's host and port.
func (s Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// domain is the domain of the sender's address, for Message-IDs.
func (s Server) domain() string {
	if _, d, ok := strings.Cut(s.From.Address, "@"); ok && d != "" {
		return d
	}
	return "evalpanel.invalid"
}
