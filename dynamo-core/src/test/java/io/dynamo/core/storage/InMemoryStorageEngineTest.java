package io.dynamo.core.storage;

import io.dynamo.core.merkle.TreeShape;

/** The in-memory engine against the storage contract; its crash model has its own tests. */
class InMemoryStorageEngineTest extends StorageEngineContract {

    @Override
    protected StorageEngine createEngine(StorageLimits limits) {
        return InMemoryStorageEngine.create(limits, TreeShape.DEFAULT);
    }

    @Override
    protected boolean supportsReopen() {
        return true;
    }

    @Override
    protected StorageEngine reopen(StorageEngine closed) {
        return ((InMemoryStorageEngine) closed).crash();
    }

    @Override
    protected boolean supportsCrash() {
        return true;
    }

    @Override
    protected StorageEngine crash(StorageEngine engine) {
        return ((InMemoryStorageEngine) engine).crash();
    }
}
