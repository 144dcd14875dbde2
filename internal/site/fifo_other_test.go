//go:build !unix

package site

import "testing"

func mkfifo(t *testing.T, path string) {
	t.Skip("named pipes are a unix feature")
}
