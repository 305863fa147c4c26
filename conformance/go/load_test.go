package main

import (
	"os"
	"runtime"
	"testing"
	"time"
)

func TestPercentileIsNearestRank(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 200; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[float64]time.Duration{50: 100 * time.Millisecond, 99: 198 * time.Millisecond, 100: 200 * time.Millisecond} {
		if got := percentile(d, p); got != want {
			t.Errorf("p%v = %v, want %v", p, got, want)
		}
	}
	if got := percentile(d[:1], 99); got != time.Millisecond {
		t.Errorf("p99 of one value = %v", got)
	}
	if got := ms(1234567 * time.Nanosecond); got != 1.23 {
		t.Errorf("ms = %v, want 1.23", got)
	}
}

func TestProcessUsageFromProc(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	// Spend some CPU so that the clock-tick counter moves.
	for start := time.Now(); time.Since(start) < 50*time.Millisecond; {
	}
	if cpu := cpuSeconds(os.Getpid()); cpu <= 0 {
		t.Errorf("cpuSeconds of this process = %v", cpu)
	}
	if rss := peakRSSMiB(os.Getpid()); rss <= 0 {
		t.Errorf("peakRSSMiB of this process = %v", rss)
	}
	if cpuSeconds(-1) != 0 || peakRSSMiB(-1) != 0 {
		t.Error("an unknown process must read as 0")
	}
}
