package publish

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// CheckBaseURL checks a site's base URL (site.Options.BaseURL, the --base-url
// flags) and returns it normalised, with its path ending in a slash; ""
// stays "" (no base URL). The URL goes verbatim into canonical links, Open
// Graph tags, the sitemap and robots.txt, so anything but a plain absolute
// http(s) address is refused: another scheme (javascript:) would be a
// script link in every page, user-info would publish a password, and a
// query or fragment has no meaning for a folder of pages (every page URL
// is the base plus a path). Dot segments are refused rather than
// resolved: "/guide/.." is more likely a mistake than a wish for "/".
func CheckBaseURL(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "", fmt.Errorf("base URL %q is not a URL: %w", raw, err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("base URL %q must be an absolute http or https URL, such as https://example.org/guide/", raw)
	case u.Opaque != "" || u.Host == "":
		return "", fmt.Errorf("base URL %q has no host; write it as %s://HOST/PATH/", raw, u.Scheme)
	case !validPort(u.Port()):
		return "", fmt.Errorf("base URL %q has an invalid port", raw)
	case u.User != nil:
		return "", fmt.Errorf("base URL %q must not carry user information (it would be published in every page)", raw)
	case u.RawQuery != "" || u.ForceQuery:
		return "", fmt.Errorf("base URL %q must not have a query (?...)", raw)
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return "", fmt.Errorf("base URL %q must not have a fragment (#...)", raw)
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == "." || seg == ".." {
			return "", fmt.Errorf("base URL %q must not contain . or .. path segments", raw)
		}
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		if u.RawPath != "" {
			u.RawPath += "/"
		}
	}
	return u.String(), nil
}

// validPort accepts no port or a TCP port number.
func validPort(p string) bool {
	if p == "" {
		return true
	}
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535
}
