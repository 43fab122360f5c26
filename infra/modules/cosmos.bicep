// Cosmos DB for MongoDB (RU, serverless: billed per request unit and GB, nothing while idle),
// the store's database and its collections. The connection string is written straight into Key
// Vault here and never leaves this module: only the secret's URI is an output.

@description('Name of the Cosmos DB account.')
param name string

@description('Azure region of the account.')
param location string

@description('Tags put on every resource of this environment.')
param tags object

@description('Name of the MongoDB database.')
param databaseName string

@description('Collections to create: each a name and its MongoDB indexes ({ key: { keys: [...] } }; several keys make a compound index).')
param collections array

@description('Name of the Key Vault that receives the connection string.')
param keyVaultName string

@description('Name of the Key Vault secret holding the connection string.')
param connectionSecretName string

// The mongodb 7 driver refuses servers older than 4.4, and Cosmos DB has no 4.4: 5.0 is the oldest
// that works (server versions: https://learn.microsoft.com/azure/cosmos-db/mongodb/upgrade-version).
@allowed(['5.0', '6.0', '7.0'])
@description('MongoDB wire protocol version the account speaks.')
param serverVersion string = '6.0'

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: name
  location: location
  tags: tags
  kind: 'MongoDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    capabilities: [
      {
        name: 'EnableServerless'
      }
      {
        name: 'EnableMongo'
      }
    ]
    apiProperties: {
      serverVersion: serverVersion
    }
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/mongodbDatabases@2024-05-15' = {
  parent: account
  name: databaseName
  tags: tags
  properties: {
    resource: {
      id: databaseName
    }
  }
}

// One at a time: Cosmos DB rejects concurrent container operations on one database.
@batchSize(1)
resource collection 'Microsoft.DocumentDB/databaseAccounts/mongodbDatabases/collections@2024-05-15' = [
  for c in collections: {
    parent: database
    name: c.name
    tags: tags
    properties: {
      resource: {
        id: c.name
        indexes: c.indexes
      }
    }
  }
]

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource connectionSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: connectionSecretName
  tags: tags
  properties: {
    contentType: 'MongoDB connection string'
    value: account.listConnectionStrings().connectionStrings[0].connectionString
  }
}

output name string = account.name
output databaseName string = database.name
// The versionless URI of the secret (not its value): a Key Vault reference to it follows rotation.
output mongoUriVaultUri string = connectionSecret.properties.secretUri
