//! DIR/world.json on disk: exclusive lock for the whole invocation, atomic replace on save.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::world::{FORMAT, World};

/// A locked world directory. The lock (on DIR/world.lock) is released when this is dropped.
pub struct Store {
    dir: PathBuf,
    _lock: File,
}

impl Store {
    /// Locks DIR (blocking until other invocations finish) and loads the world.
    pub fn open(dir: &Path) -> Result<(Store, World)> {
        let lock_path = dir.join("world.lock");
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .with_context(|| format!("cannot open {}", lock_path.display()))?;
        // std File::lock (fcntl-based on Solaris, so per process: fine for one lock per
        // invocation); fs2/fs4 do not build for Solaris.
        lock.lock().with_context(|| format!("cannot lock {}", lock_path.display()))?;
        let store = Store { dir: dir.to_path_buf(), _lock: lock };
        let world = store.load()?;
        Ok((store, world))
    }

    fn load(&self) -> Result<World> {
        let path = self.dir.join("world.json");
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let world: World = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a zonesim world", path.display()))?;
        if world.format != FORMAT {
            anyhow::bail!("{}: world format {} (expected {FORMAT})", path.display(), world.format);
        }
        Ok(world)
    }

    pub fn save(&self, world: &World) -> Result<()> {
        write_world(&self.dir, world)
    }
}

/// Writes DIR/world.json atomically: temp file, fsync, rename.
pub fn write_world(dir: &Path, world: &World) -> Result<()> {
    let tmp = dir.join(format!("world.json.tmp.{}", std::process::id()));
    let text = serde_json::to_string_pretty(world)?;
    let mut f = File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
    f.write_all(text.as_bytes())?;
    f.write_all(b"\n")?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, dir.join("world.json")).context("cannot replace world.json")?;
    Ok(())
}
