// Web PubSub for the live dashboard: Entra only (no access keys), one hub, no anonymous clients.

param name string
param location string
param tags object
@allowed(['Free_F1', 'Standard_S1'])
param sku string
param hubName string

resource webPubSub 'Microsoft.SignalRService/webPubSub@2024-03-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
    tier: sku == 'Free_F1' ? 'Free' : 'Standard'
    capacity: 1
  }
  properties: {
    disableLocalAuth: true
    disableAadAuth: false
    publicNetworkAccess: 'Enabled'
  }
}

resource hub 'Microsoft.SignalRService/webPubSub/hubs@2024-03-01' = {
  parent: webPubSub
  name: hubName
  properties: {
    anonymousConnectPolicy: 'deny'
  }
}

output name string = webPubSub.name
output endpoint string = 'https://${webPubSub.properties.hostName}'
