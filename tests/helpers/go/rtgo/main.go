// SPDX-License-Identifier: LGPL-2.1-or-later

// rtgo DIR [sh]: a Go program (its own system calls, no libc, signal
// handlers on alternate stacks, threads made by the runtime) that must
// behave the same natively and in a view, in every mode. It prints one
// "case: result" line each, paths under DIR shown as "DIR", in an empty
// writable directory DIR that it leaves empty. Run it by an absolute
// path: it runs itself as a child ("child TAG DIR"). `rtgo stats N PATH`
// lstats PATH N times and prints how many succeeded. Built by
// tests/integration/view-runtime.sh with `go build` (standard library
// only).
package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

var dir string

func rel(p string) string {
	if p == dir {
		return "DIR"
	}
	if strings.HasPrefix(p, dir+"/") {
		return "DIR" + p[len(dir):]
	}
	return p
}

func say(format string, a ...interface{}) {
	fmt.Printf(format+"\n", a...)
}

// errWord: the errno's text, without the path Go puts in front of it.
func errWord(err error) string {
	if err == nil {
		return "ok"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err.Error()
	}
	var se *os.SyscallError
	if errors.As(err, &se) {
		return se.Err.Error()
	}
	return err.Error()
}

func statWords(fi fs.FileInfo, err error) string {
	if err != nil {
		return errWord(err)
	}
	m := fi.Mode()
	switch {
	case m.IsDir():
		return fmt.Sprintf("dir %v", m.Perm())
	case m&fs.ModeSymlink != 0:
		return fmt.Sprintf("symlink size=%d", fi.Size())
	default:
		return fmt.Sprintf("file %v size=%d", m.Perm(), fi.Size())
	}
}

func child(tag string) {
	fi, err := os.Stat(filepath.Join(dir, "go", "file"))
	data, rerr := os.ReadFile(filepath.Join(dir, "go", "link"))
	say("child %s: stat=%s read=%q %s", tag, statWords(fi, err), string(data), errWord(rerr))
}

func main() {
	// stats N PATH: N lstats of PATH, each from package syscall's one
	// call site (Syscall6), which facet's loader patches in fast mode.
	if len(os.Args) == 4 && os.Args[1] == "stats" {
		n, _ := strconv.Atoi(os.Args[2])
		ok := 0
		for i := 0; i < n; i++ {
			if _, err := os.Lstat(os.Args[3]); err == nil {
				ok++
			}
		}
		fmt.Printf("stats: %d of %d\n", ok, n)
		return
	}
	if len(os.Args) == 4 && os.Args[1] == "child" {
		dir = os.Args[3]
		child(os.Args[2])
		return
	}
	withSh := len(os.Args) == 3 && os.Args[2] == "sh"
	if (len(os.Args) != 2 && !withSh) || !filepath.IsAbs(os.Args[1]) || !filepath.IsAbs(os.Args[0]) {
		fmt.Fprintln(os.Stderr, "usage: /PATH/TO/rtgo /ABSOLUTE/EMPTY-DIR [sh]")
		os.Exit(2)
	}
	dir = os.Args[1]
	syscall.Umask(022)
	g := filepath.Join(dir, "go")
	file := filepath.Join(g, "file")
	link := filepath.Join(g, "link")
	missing := filepath.Join(g, "missing")

	say("mkdir: %s", errWord(os.Mkdir(g, 0755)))
	say("mkdir-again: %s", errWord(os.Mkdir(g, 0755)))
	say("mkdir-all: %s", errWord(os.MkdirAll(filepath.Join(g, "sub", "deeper"), 0750)))
	say("write-file: %s", errWord(os.WriteFile(file, []byte("hello\n"), 0640)))
	say("symlink: %s", errWord(os.Symlink("file", link)))
	say("stat-file: %s", statWords(os.Stat(file)))
	say("lstat-link: %s", statWords(os.Lstat(link)))
	say("stat-link: %s", statWords(os.Stat(link)))
	say("stat-missing: %s", statWords(os.Stat(missing)))
	target, err := os.Readlink(link)
	say("readlink: %q %s", target, errWord(err))
	_, err = os.Readlink(file)
	say("readlink-file: %s", errWord(err))

	f, err := os.Open(link)
	if err == nil {
		buf := make([]byte, 16)
		n, _ := f.Read(buf)
		say("open-read: %q", string(buf[:n]))
		fi, err := f.Stat()
		say("fstat: %s", statWords(fi, err))
		say("name: %s", rel(f.Name()))
		f.Close()
	} else {
		say("open-read: %s", errWord(err))
	}
	_, err = os.OpenFile(file, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0600)
	say("open-excl: %s", errWord(err))

	entries, err := os.ReadDir(g)
	var names []string
	for _, e := range entries {
		names = append(names, fmt.Sprintf("%s:%v", e.Name(), e.Type()))
	}
	say("readdir: %s %s", strings.Join(names, " "), errWord(err))

	var walked []string
	err = filepath.WalkDir(g, func(p string, d fs.DirEntry, err error) error {
		walked = append(walked, rel(p))
		return err
	})
	say("walk: %s %s", strings.Join(walked, " "), errWord(err))

	say("chdir: %s", errWord(os.Chdir(g)))
	wd, err := os.Getwd()
	say("getwd: %s %s", rel(wd), errWord(err))
	say("stat-relative: %s", statWords(os.Stat("sub/../file")))
	say("rename: %s", errWord(os.Rename("file", "renamed")))
	say("stat-renamed: %s", statWords(os.Stat("renamed")))
	say("rename-back: %s", errWord(os.Rename("renamed", "file")))
	say("chdir-back: %s", errWord(os.Chdir("/")))

	// Children: one by one, then several at once while goroutines stat.
	out, err := exec.Command(os.Args[0], "child", "exec", dir).Output()
	say("exec: %s %s", strings.TrimSpace(string(out)), errWord(err))
	if withSh {
		out, err = exec.Command("/bin/sh", "-c", `echo "sh: $1"; test -L "$2" && echo "sh: sees the link"`, "sh", "from-go", link).CombinedOutput()
		say("sh: %s %s", strings.ReplaceAll(strings.TrimSpace(string(out)), "\n", " | "), errWord(err))
	}
	// Eight goroutines make path calls (on several threads) while four
	// children run at once.
	var wg sync.WaitGroup
	var mu sync.Mutex
	wrong := 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bad := 0
			for n := 0; n < 100; n++ {
				if fi, err := os.Stat(file); err != nil || fi.Size() != 6 {
					bad++
				}
				if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
					bad++
				}
				if b, err := os.ReadFile(link); err != nil || string(b) != "hello\n" {
					bad++
				}
				if t, err := os.Readlink(link); err != nil || t != "file" {
					bad++
				}
			}
			mu.Lock()
			wrong += bad
			mu.Unlock()
		}()
	}
	var outs []string
	var cw sync.WaitGroup
	for i := 0; i < 4; i++ {
		cw.Add(1)
		go func(i int) {
			defer cw.Done()
			out, err := exec.Command(os.Args[0], "child", fmt.Sprintf("parallel-%d", i), dir).Output()
			mu.Lock()
			outs = append(outs, strings.TrimSpace(string(out))+" "+errWord(err))
			mu.Unlock()
		}(i)
	}
	cw.Wait()
	wg.Wait()
	sort.Strings(outs)
	for _, o := range outs {
		say("%s", o)
	}
	say("goroutines: wrong=%d", wrong)

	// Go's own signal handling (SA_ONSTACK handlers) still works.
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGUSR1)
	syscall.Kill(os.Getpid(), syscall.SIGUSR1)
	select {
	case s := <-ch:
		say("signal: %v", s)
	case <-time.After(10 * time.Second):
		say("signal: not received")
	}
	signal.Stop(ch)

	say("remove-all: %s", errWord(os.RemoveAll(g)))
	say("stat-removed: %s", statWords(os.Stat(g)))
}
