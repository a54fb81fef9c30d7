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

/// Installs the SIGTERM and Ctrl-C handlers now and returns a future that resolves on either.
fn stop_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    // `ctrl_c()` registers its handler on first poll; poll it once now through a pinned box.
    let mut ctrl_c = Box::pin(tokio::signal::ctrl_c());
    let waker = std::task::Waker::noop();
    let _ = ctrl_c
        .as_mut()
        .poll(&mut std::task::Context::from_waker(waker));
    async move {
        #[cfg(unix)]
        if let Some(mut term) = term {
            tokio::select! {
                _ = ctrl_c => {}
                _ = term.recv() => {}
            }
            return;
        }
        let _ = ctrl_c.await;
    }
}
