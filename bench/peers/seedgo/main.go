// seedgo: the product's original Go design (shared seed 000), kept as a benchmark peer.
//
// net/http + gorilla/mux, time.Sleep for simulated latency, and the seed's instrumentation
// middleware (http_requests_total, http_request_duration_seconds, http_requests_in_flight)
// recorded with the OpenTelemetry Go SDK and exported over OTLP/gRPC by a periodic reader. Only the
// two endpoints the benchmark compares are kept: GET /health and GET /api/slow (3-5 s).
//
//	go build -o seedgo . && ./seedgo -addr 127.0.0.1:18090
//
// The exporter honours the standard OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_METRIC_EXPORT_INTERVAL
// variables (the seed's interval, 10 s, is the default here). Loopback only: -addr must be on
// 127.0.0.1.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"log"
	"math/rand"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/gorilla/mux"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetricgrpc"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	semconv "go.opentelemetry.io/otel/semconv/v1.24.0"
)

type healthResponse struct {
	Status    string    `json:"status"`
	Timestamp time.Time `json:"timestamp"`
}

type slowResponse struct {
	Message string `json:"message"`
}

func healthHandler(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(w).Encode(healthResponse{Status: "ok", Timestamp: time.Now()})
}

// slowHandler is the seed's /api/slow: a goroutine parked in time.Sleep for 3-5 s.
func slowHandler(w http.ResponseWriter, _ *http.Request) {
	time.Sleep(time.Duration(3000+rand.Intn(2000)) * time.Millisecond)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(slowResponse{Message: "This was intentionally slow"})
}

type instruments struct {
	requests metric.Int64Counter
	duration metric.Float64Histogram
	inFlight metric.Int64UpDownCounter
}

func newInstruments(meter metric.Meter) (*instruments, error) {
	var in instruments
	var err error
	if in.requests, err = meter.Int64Counter("http_requests_total",
		metric.WithDescription("Total number of HTTP requests")); err != nil {
		return nil, err
	}
	if in.duration, err = meter.Float64Histogram("http_request_duration_seconds",
		metric.WithDescription("HTTP request duration in seconds")); err != nil {
		return nil, err
	}
	if in.inFlight, err = meter.Int64UpDownCounter("http_requests_in_flight",
		metric.WithDescription("Current number of in-flight requests")); err != nil {
		return nil, err
	}
	return &in, nil
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// middleware is the seed's Step 5 instrumentation, unchanged in substance.
func (in *instruments) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ctx := r.Context()
		in.inFlight.Add(ctx, 1, metric.WithAttributes(attribute.String("method", r.Method)))
		wrapped := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(wrapped, r)
		attrs := metric.WithAttributes(
			attribute.String("method", r.Method),
			attribute.String("endpoint", r.URL.Path),
			attribute.String("status", strconv.Itoa(wrapped.status)))
		in.requests.Add(ctx, 1, attrs)
		in.duration.Record(ctx, time.Since(start).Seconds(), metric.WithAttributes(
			attribute.String("method", r.Method),
			attribute.String("endpoint", r.URL.Path)))
		in.inFlight.Add(ctx, -1, metric.WithAttributes(attribute.String("method", r.Method)))
	})
}

func newMeterProvider(ctx context.Context) (*sdkmetric.MeterProvider, error) {
	res, err := resource.New(ctx, resource.WithAttributes(
		semconv.ServiceName("seedgo"), semconv.ServiceVersion("1.0.0")))
	if err != nil {
		return nil, err
	}
	// Endpoint from OTEL_EXPORTER_OTLP_ENDPOINT (default localhost:4317).
	exporter, err := otlpmetricgrpc.New(ctx, otlpmetricgrpc.WithInsecure())
	if err != nil {
		return nil, err
	}
	interval := 10 * time.Second
	if ms, convErr := strconv.Atoi(os.Getenv("OTEL_METRIC_EXPORT_INTERVAL")); convErr == nil && ms > 0 {
		interval = time.Duration(ms) * time.Millisecond
	}
	return sdkmetric.NewMeterProvider(
		sdkmetric.WithResource(res),
		sdkmetric.WithReader(sdkmetric.NewPeriodicReader(exporter, sdkmetric.WithInterval(interval))),
	), nil
}

func main() {
	addr := flag.String("addr", "127.0.0.1:18090", "listen address (loopback only)")
	flag.Parse()
	host, _, err := net.SplitHostPort(*addr)
	if err != nil || net.ParseIP(host) == nil || !net.ParseIP(host).IsLoopback() {
		log.Fatalf("-addr %q: must be a loopback address", *addr)
	}

	ctx := context.Background()
	provider, err := newMeterProvider(ctx)
	if err != nil {
		log.Fatalf("metrics: %v", err)
	}
	in, err := newInstruments(provider.Meter("seedgo"))
	if err != nil {
		log.Fatalf("instruments: %v", err)
	}

	router := mux.NewRouter()
	router.HandleFunc("/health", healthHandler).Methods("GET")
	router.HandleFunc("/api/slow", slowHandler).Methods("GET")
	router.Use(in.middleware)

	srv := &http.Server{
		Addr:         *addr,
		Handler:      router,
		ReadTimeout:  15 * time.Second,
		WriteTimeout: 15 * time.Second,
		IdleTimeout:  60 * time.Second,
	}
	go func() {
		if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
			log.Fatalf("serve: %v", err)
		}
	}()
	log.Printf("seedgo listening on %s", *addr)

	quit := make(chan os.Signal, 1)
	signal.Notify(quit, os.Interrupt, syscall.SIGTERM)
	<-quit
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdownCtx)
	_ = provider.Shutdown(shutdownCtx)
}
