//! `conversations-sandbox`: runs the sandbox until Ctrl-C or SIGTERM.

use std::future::Future;
use std::io::Write;
use std::process::ExitCode;

use conversations_sandbox::cli::{parse_args, Command, USAGE};

fn main() -> ExitCode {
    let opts = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Run(opts)) => opts,
        Ok(Command::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Command::Version) => {
            println!("conversations-sandbox {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("conversations-sandbox: {e}");
            return ExitCode::from(2);
        }
    };
    // Two workers: plenty for a test double, and polite on small CI machines.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("conversations-sandbox: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let sandbox = match conversations_sandbox::spawn(opts).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("conversations-sandbox: {e}");
                return ExitCode::FAILURE;
            }
        };
        // Signal handlers exist before the line is printed: a script that reads the line and
        // sends SIGTERM at once must get a clean stop, not the default action (seen on CI).
        let stop = stop_signal();
        // The one line scripts parse; flushed because stdout is a pipe under test harnesses.
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "conversations-sandbox listening on {}", sandbox.url());
        let _ = out.flush();
        drop(out);
        stop.await;
        sandbox.shutdown().await;
        ExitCode::SUCCESS
    })
}

/// Installs the SIGTERM and SIGINT (Ctrl-C) handlers now, and returns a future that resolves on
/// either. `signal()` registers at once, unlike `ctrl_c()`, which waits for its first poll.
#[cfg(unix)]
fn stop_signal() -> impl Future<Output = ()> {
    use tokio::signal::unix::{signal, SignalKind};
    let handlers = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    );
    async move {
        match handlers {
            (Ok(mut term), Ok(mut int)) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = int.recv() => {}
                }
            }
            // A handler that cannot be installed: Ctrl-C alone, as before.
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
}

/// Ctrl-C, elsewhere.
#[cfg(not(unix))]
fn stop_signal() -> impl Future<Output = ()> {
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}
