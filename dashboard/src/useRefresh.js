// Loads a page's data on every refresh tick: `load` returns a promise of the
// page's results; errors become { status: "error", message }.
//
//   const data = useRefresh(tick, () => loadMetrics(env, range), [env, range]);
import { useEffect, useState } from "react";

export function useRefresh(tick, load, deps, onDone) {
  const [data, setData] = useState(null);
  useEffect(() => {
    let current = true;
    load().then(
      (value) => {
        if (!current) return;
        setData(value);
        onDone?.(null);
      },
      (error) => {
        if (!current) return;
        setData({ error: error.message });
        onDone?.(error.message);
      },
    );
    return () => {
      current = false;
    };
    // `load` is a new closure on every render; `deps` say when it means something new.
  }, [tick, ...deps]);
  return data;
}
