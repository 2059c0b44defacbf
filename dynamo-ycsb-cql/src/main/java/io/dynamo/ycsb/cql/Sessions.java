package io.dynamo.ycsb.cql;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * Builds driver sessions, configured in code ({@link DriverConfigLoader#programmaticBuilder()}):
 * the driver's {@code reference.conf} defaults with the few options below set over them, so no
 * {@code application.conf} is needed. The defaults kept include the load balancing (token aware:
 * each request goes to a replica of its partition key in the local datacenter, round robin among
 * them), the retry policy, no speculative execution and the statements' default idempotence
 * (false).
 */
final class Sessions {

    private Sessions() {
    }

    /**
     * The driver configuration.
     *
     * @param requestTimeout           the timeout of every request ({@code basic.request.timeout})
     * @param connectionsPerHost       the connection pool size for local and remote nodes, or empty
     *                                 for the driver's (1)
     * @param schemaAgreementTimeout   how long the driver waits for schema agreement after a schema
     *                                 change, or null for its default (10 s)
     */
    static DriverConfigLoader config(Duration requestTimeout, OptionalInt connectionsPerHost,
            Duration schemaAgreementTimeout) {
        ProgrammaticDriverConfigLoaderBuilder config = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, requestTimeout);
        if (connectionsPerHost.isPresent()) {
            config = config.withInt(DefaultDriverOption.CONNECTION_POOL_LOCAL_SIZE, connectionsPerHost.getAsInt())
                    .withInt(DefaultDriverOption.CONNECTION_POOL_REMOTE_SIZE, connectionsPerHost.getAsInt());
        }
        if (schemaAgreementTimeout != null) {
            config = config.withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT,
                    schemaAgreementTimeout);
        }
        return config.build();
    }

    /**
     * Opens a session: connects to the first contact point that answers, discovers the cluster
     * and opens the connection pools.
     *
     * @param keyspace the keyspace to bind the session to (it must exist), or null for none
     * @throws com.datastax.oss.driver.api.core.AllNodesFailedException if no contact point answers
     * @throws com.datastax.oss.driver.api.core.InvalidKeyspaceException if the keyspace does not exist
     */
    static CqlSession open(List<InetSocketAddress> hosts, String localDatacenter, String keyspace,
            DriverConfigLoader config) {
        CqlSessionBuilder builder = CqlSession.builder().addContactPoints(hosts).withLocalDatacenter(localDatacenter)
                .withConfigLoader(config);
        if (keyspace != null) {
            builder = builder.withKeyspace(CqlIdentifier.fromInternal(keyspace));
        }
        return builder.build();
    }
}
