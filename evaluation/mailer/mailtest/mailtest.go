// Package mailtest is an SMTP server in the test's process (emersion's
// go-smtp) that keeps what it receives, decoded, and can refuse or delay
// on demand. Only tests import it.
package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Mail is a message as the server received it.
type Mail struct {
	From      string   // MAIL FROM
	Rcpt      []string // RCPT TO
	To        string   // the To header
	Subject   string   // decoded
	Body      string   // decoded
	MessageID string   // without the angle brackets
	Header    mail.Header
	// User is who authenticated, "" without authentication.
	User string
}

// Server is a running test SMTP server.
type Server struct {
	t   testing.TB
	srv *smtp.Server
	// Addr is the address it listens on (127.0.0.1:port).
	Addr string
	// ClientTLS is the TLS configuration that trusts a StartTLS server's
	// certificate; nil for a server without TLS.
	ClientTLS *tls.Config

	mu    sync.Mutex
	mails []Mail
	users map[string]string
	// refuse answers the next RCPT TOs with these errors, in order.
	refuse []error
	// onData runs when a message has been read, before the server
	// answers it.
	onData func(Mail)
	got    chan struct{}
}

// Start starts a server on 127.0.0.1 that accepts every message, and stops
// it when the test ends. It offers no TLS.
func Start(t testing.TB) *Server {
	t.Helper()
	return start(t, nil)
}

// StartTLS starts a server like Start that offers STARTTLS with a
// certificate of its own for 127.0.0.1; ClientTLS trusts it.
func StartTLS(t testing.TB) *Server {
	t.Helper()
	cert, pool := selfSigned(t)
	s := start(t, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	s.ClientTLS = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
	return s
}

func start(t testing.TB, config *tls.Config) *Server {
	s := &Server{t: t, users: map[string]string{}, got: make(chan struct{}, 1000)}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	s.srv.Domain = "mail.test"
	s.srv.TLSConfig = config
	s.srv.AllowInsecureAuth = true
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	s.srv.ErrorLog = testLogger{t}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Addr = ln.Addr().String()
	go s.srv.Serve(ln)
	t.Cleanup(func() { s.srv.Close() })
	return s
}

type testLogger struct{ t testing.TB }

func (l testLogger) Printf(format string, v ...any) { l.t.Logf("smtp server: "+format, v...) }
func (l testLogger) Println(v ...any)               { l.t.Log(append([]any{"smtp server:"}, v...)...) }

// URL is the server's smtp:// URL with the sender address from, and the
// user's credentials when user is not "": STARTTLS required for a
// StartTLS server, no TLS otherwise.
func (s *Server) URL(from, user, password string) string {
	cred := ""
	if user != "" {
		cred = user + ":" + password + "@"
	}
	tlsParam := "tls=none&"
	if s.ClientTLS != nil {
		tlsParam = ""
	}
	return "smtp://" + cred + s.Addr + "?" + tlsParam + "from=" + from
}

// RequireAuth makes the server accept only the user with the password,
// with PLAIN authentication.
func (s *Server) RequireAuth(user, password string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[user] = password
}

// Refuse answers the next RCPT TOs with SMTP errors of the codes, in
// order: 4xx are temporary, 5xx permanent.
func (s *Server) Refuse(codes ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range codes {
		s.refuse = append(s.refuse, &smtp.SMTPError{Code: c, EnhancedCode: smtp.EnhancedCodeNotSet,
			Message: fmt.Sprintf("test refusal %d", c)})
	}
}

// OnData runs fn with each message read, before the server answers it:
// the moment between the message being on the server and the client
// knowing it.
func (s *Server) OnData(fn func(Mail)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onData = fn
}

// Mails returns what the server has received, in order.
func (s *Server) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mails...)
}

// Wait waits until the server has received n messages in all and returns
// them; it fails the test after timeout.
func (s *Server) Wait(n int, timeout time.Duration) []Mail {
	s.t.Helper()
	deadline := time.After(timeout)
	for {
		if got := s.Mails(); len(got) >= n {
			return got
		}
		select {
		case <-s.got:
		case <-deadline:
			s.t.Fatalf("the SMTP server received %d messages in %s, want %d", len(s.Mails()), timeout, n)
		}
	}
}

type session struct {
	s    *Server
	user string
	from string
	rcpt []string
}

func (ss *session) AuthMechanisms() []string {
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if len(ss.s.users) == 0 {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, password string) error {
		ss.s.mu.Lock()
		defer ss.s.mu.Unlock()
		if want, ok := ss.s.users[user]; !ok || want != password {
			return errors.New("invalid credentials")
		}
		ss.user = user
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if len(ss.s.users) > 0 && ss.user == "" {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if len(ss.s.refuse) > 0 {
		err := ss.s.refuse[0]
		ss.s.refuse = ss.s.refuse[1:]
		return err
	}
	ss.rcpt = append(ss.rcpt, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	m, err := decode(r)
	if err != nil {
		ss.s.t.Errorf("smtp server: %v", err)
		return err
	}
	m.From, m.Rcpt, m.User = ss.from, ss.rcpt, ss.user
	ss.s.mu.Lock()
	ss.s.mails = append(ss.s.mails, m)
	onData := ss.s.onData
	ss.s.mu.Unlock()
	ss.s.got <- struct{}{}
	if onData != nil {
		onData(m)
	}
	return nil
}

// selfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mailtest"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

func (ss *session) Reset() { ss.from, ss.rcpt = "", nil }

func (ss *session) Logout() error { return nil }

// decode reads a single-part text message: headers, the RFC 2047 subject,
// and a quoted-printable, base64 or plain body.
func decode(r io.Reader) (Mail, error) {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return Mail{}, fmt.Errorf("read message: %w", err)
	}
	m := Mail{Header: msg.Header, To: msg.Header.Get("To"),
		MessageID: strings.Trim(msg.Header.Get("Message-Id"), "<>")}
	if m.Subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return Mail{}, fmt.Errorf("subject: %w", err)
	}
	body := msg.Body
	switch strings.ToLower(msg.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body) // skips the line breaks
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return Mail{}, fmt.Errorf("body: %w", err)
	}
	m.Body = strings.ReplaceAll(string(b), "\r\n", "\n")
	return m, nil
}
