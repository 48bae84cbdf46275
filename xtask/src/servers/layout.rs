//! Where everything lives in the state directory.
//!
//! ```text
//! <state>/env, env.json, clouds.yaml   what the tests read
//! <state>/secrets.json                 generated passwords and the TOTP secret
//! <state>/keystone-seed.json           ids and secrets created by seeding Keystone
//! <state>/venv/{openstack,monasca,clients}  the three virtualenvs
//! <state>/etc/...                      configuration files and Keystone's key repositories
//! <state>/shims/*.py                   the Python helpers from xtask/servers/
//! <state>/data/...                     databases, InfluxDB and RabbitMQ state, init markers
//! <state>/logs/<name>.log              output of every server and set-up step
//! <state>/run/<name>.pid               PIDs of the running servers
//! ```

use std::path::{Path, PathBuf};

/// Paths inside one state directory.
#[derive(Clone, Debug)]
pub struct Layout {
    root: PathBuf,
}

impl Layout {
    /// The layout under `root`, which must be an absolute path (it ends up in config files).
    pub fn new(root: PathBuf) -> Self {
        Layout { root }
    }

    /// The state directory itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The unix socket on which Keystone takes requests from Apache, with the identity Apache
    /// checked.
    pub fn keystone_socket(&self) -> PathBuf {
        self.run("keystone.sock")
    }

    /// A file or directory directly in the state directory.
    pub fn file(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// A virtualenv (`openstack`, `monasca` or `clients`).
    pub fn venv(&self, name: &str) -> PathBuf {
        self.root.join("venv").join(name)
    }

    /// A program in a virtualenv's `bin`.
    pub fn venv_bin(&self, venv: &str, program: &str) -> PathBuf {
        self.venv(venv).join("bin").join(program)
    }

    /// A path under `etc/`.
    pub fn etc(&self, name: &str) -> PathBuf {
        self.root.join("etc").join(name)
    }

    /// The directory of the test CA and certificates.
    pub fn tls(&self) -> PathBuf {
        self.etc("tls")
    }

    /// The directory of the Python helpers.
    pub fn shims(&self) -> PathBuf {
        self.root.join("shims")
    }

    /// A path under `data/`.
    pub fn data(&self, name: &str) -> PathBuf {
        self.root.join("data").join(name)
    }

    /// The log file of a server or set-up step.
    pub fn log(&self, name: &str) -> PathBuf {
        self.root.join("logs").join(format!("{name}.log"))
    }

    /// The PID file of a server.
    pub fn pid_file(&self, name: &str) -> PathBuf {
        self.root.join("run").join(format!("{name}.pid"))
    }

    /// A marker under `run/`, kept only while the servers run.
    pub fn run(&self, name: &str) -> PathBuf {
        self.root.join("run").join(name)
    }

    /// Creates the directories every step expects.
    pub fn create(&self) -> Result<(), String> {
        for dir in ["logs", "run", "data", "etc", "shims", "venv"] {
            let path = self.root.join(dir);
            std::fs::create_dir_all(&path)
                .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        }
        Ok(())
    }
}
