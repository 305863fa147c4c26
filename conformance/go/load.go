package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"ocm.software/open-component-model/bindings/go/plugin/manager"
)

// loadReport is what the load verb prints: latencies of the calls made after
// the warm-up, and what the plugin processes spent meanwhile.
type loadReport struct {
	Callers        int           `json:"callers"`
	Calls          int           `json:"calls"`
	Failed         int           `json:"failed"`
	FirstError     string        `json:"firstError,omitempty"`
	P50Ms          float64       `json:"p50Ms"`
	P99Ms          float64       `json:"p99Ms"`
	MaxMs          float64       `json:"maxMs"`
	Seconds        float64       `json:"seconds"`
	CallsPerSecond float64       `json:"callsPerSecond"`
	Plugins        []pluginUsage `json:"plugins"`
}

// pluginUsage is one plugin process the manager started, as /proc sees it
// (Linux; empty elsewhere).
type pluginUsage struct {
	PID int `json:"pid"`
	// CPUSeconds is user plus system time spent during the measured calls.
	CPUSeconds float64 `json:"cpuSeconds"`
	// PeakRSSMiB is VmHWM: the peak since the process started.
	PeakRSSMiB float64 `json:"peakRssMiB"`
}

// parseLoad reads the load verb: one call, made by -callers goroutines at
// once, each -requests times in a row, through one manager, after one warm-up
// call per caller (which starts the plugin and opens connections, as earlier
// calls of a long CLI command would).
func parseLoad(args []string, stderr io.Writer) (action, error) {
	fs := flagSet("load", stderr)
	var c call
	complete := callFlags(fs, &c)
	callers := fs.Int("callers", 64, "concurrent callers")
	requests := fs.Int("requests", 20, "calls per caller after the warm-up")
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	if *callers < 1 || *requests < 1 {
		return nil, usagef("load: -callers and -requests must be at least 1")
	}
	if err := complete(); err != nil {
		return nil, err
	}
	return func(ctx context.Context, pm *manager.PluginManager, stdout io.Writer) (any, error) {
		report := runLoad(ctx, pm, &c, *callers, *requests)
		if report.Failed == 0 {
			return report, nil
		}
		if err := writeJSON(stdout, report); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("load: %d of %d calls failed; first: %s", report.Failed, report.Calls, report.FirstError)
	}, nil
}

func runLoad(ctx context.Context, pm *manager.PluginManager, c *call, callers, requests int) *loadReport {
	var (
		mu        sync.Mutex
		latencies = make([]time.Duration, 0, callers*requests)
		failed    int
		first     string
	)
	record := func(d time.Duration, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			failed++
			if first == "" {
				first = err.Error()
			}
			return
		}
		latencies = append(latencies, d)
	}
	all := func(n int, measure bool) {
		var wg sync.WaitGroup
		for range callers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range n {
					t := time.Now()
					_, err := c.run(ctx, pm)
					if measure {
						record(time.Since(t), err)
					}
				}
			}()
		}
		wg.Wait()
	}

	all(1, false)
	pids := childPIDs()
	cpu0 := make(map[int]float64, len(pids))
	for _, pid := range pids {
		cpu0[pid] = cpuSeconds(pid)
	}
	started := time.Now()
	all(requests, true)
	elapsed := time.Since(started)

	report := &loadReport{Callers: callers, Calls: callers * requests, Failed: failed, FirstError: first, Seconds: elapsed.Seconds(), Plugins: []pluginUsage{}}
	report.CallsPerSecond = float64(len(latencies)) / elapsed.Seconds()
	if len(latencies) > 0 {
		slices.Sort(latencies)
		report.P50Ms, report.P99Ms, report.MaxMs = ms(percentile(latencies, 50)), ms(percentile(latencies, 99)), ms(latencies[len(latencies)-1])
	}
	for _, pid := range pids {
		report.Plugins = append(report.Plugins, pluginUsage{PID: pid, CPUSeconds: math.Round((cpuSeconds(pid)-cpu0[pid])*100) / 100, PeakRSSMiB: math.Round(peakRSSMiB(pid)*10) / 10})
	}
	return report
}

// percentile is the nearest-rank percentile of sorted values.
func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[max(0, min(len(sorted)-1, i))]
}

func ms(d time.Duration) float64 { return math.Round(float64(d.Microseconds())/10) / 100 }

// cpuSeconds is utime+stime of a process from /proc/PID/stat, 0 when unknown.
func cpuSeconds(pid int) float64 {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// The command name may hold spaces; the fields after it do not.
	s := string(data)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseFloat(fields[11], 64)
	stime, _ := strconv.ParseFloat(fields[12], 64)
	return (utime + stime) / 100
}

// peakRSSMiB is VmHWM from /proc/PID/status, 0 when unknown.
func peakRSSMiB(pid int) float64 {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kib, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kib / 1024
		}
	}
	return 0
}
