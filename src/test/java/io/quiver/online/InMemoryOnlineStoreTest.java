package io.quiver.online;

/** The embedded default's online store passes the contract. */
class InMemoryOnlineStoreTest extends OnlineStoreContract {

    private final InMemoryOnlineStore store = new InMemoryOnlineStore();

    @Override
    protected OnlineStore store() {
        return store;
    }
}
