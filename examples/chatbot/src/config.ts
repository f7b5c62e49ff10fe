/** Where the API is and which key the assistant uses (the demo chatbot key of Volt Mobile by default). */
export const config = {
  endpoint: process.env.DCRM_API_URL ?? 'http://localhost:4000/graphql',
  apiKey: process.env.DCRM_API_KEY ?? 'dcrm_sk_volt_chatbot_demo_7d1e9b3a5c4f',
  port: Number(process.env.PORT ?? 4100),
};
