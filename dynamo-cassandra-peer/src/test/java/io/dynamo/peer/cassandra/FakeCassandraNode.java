package io.dynamo.peer.cassandra;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Stands in for CassandraDaemon in fast tests: reads rpc_address from ./cassandra.yaml (the harness starts
 * each node in its directory) and accepts connections on it at the native port until killed.
 */
public final class FakeCassandraNode {

    private FakeCassandraNode() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        String address = Files.readAllLines(Path.of("cassandra.yaml")).stream()
                .filter(l -> l.startsWith("rpc_address: "))
                .map(l -> l.substring("rpc_address: ".length()).trim())
                .findFirst().orElseThrow();
        try (ServerSocket server = new ServerSocket(CassandraCluster.NATIVE_PORT, 50, InetAddress.getByName(address))) {
            System.out.println("fake node listening on " + address);
            while (true) {
                server.accept().close();
            }
        }
    }
}
